import WardenCore
import Yams

/// The `governance:` section of `tokenwarden.yaml`:
///
/// ```yaml
/// governance:
///   override_max_duration: 30d                       # the longest an override may last
///   approval_ttl: 24h                                # a request nobody decides within this expires
///   auto_approve_below: ["100.00 USD", "1_000_000 tokens"]  # smaller raises need no approver (default: none)
/// ```
extension GovernanceSettings {
    /// Reads the mapping strictly: every problem is reported at its `file:line:col`.
    static func parse(_ object: YAMLObject) -> GovernanceSettings {
        var settings = GovernanceSettings()
        settings.overrideMaxDuration = object.duration("override_max_duration", from: "1m", to: "3650d", example: "30d")
            ?? settings.overrideMaxDuration
        settings.approvalTTL = object.duration("approval_ttl", from: "1s", to: "365d", example: "24h") ?? settings.approvalTTL
        if let node = object.value("auto_approve_below") {
            let path = object.child("auto_approve_below")
            let terms: [Node]
            switch node {
            case .scalar: terms = [node]
            case .sequence(let sequence) where !sequence.isEmpty: terms = Array(sequence)
            default:
                object.diagnostics.error("\(path) must be a list of amounts such as [\"100.00 USD\", \"1_000_000 tokens\"]", at: node)
                terms = []
            }
            var below: BudgetLimit?
            for term in terms {
                guard case .scalar(let scalar) = term else {
                    object.diagnostics.error("\(path) terms must be strings such as \"100.00 USD\"", at: term)
                    below = nil
                    break
                }
                do {
                    let parsed = try BudgetLimit.parseTerm(scalar.string)
                    if let earlier = below { below = try earlier.merging(parsed) } else { below = parsed }
                } catch {
                    object.diagnostics.error("\(path): \(error.message)", at: term)
                    below = nil
                    break
                }
            }
            settings.autoApproveBelow = below
        }
        object.rejectUnknownKeys()
        return settings
    }
}
