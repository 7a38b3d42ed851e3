import WardenCore
import Yams

/// The `privacy:` section of `tokenwarden.yaml`: which attribution labels are stored, counted,
/// exported and audited only as pseudonyms, and where the key that makes them is kept.
///
/// ```yaml
/// privacy:
///   pseudonymise: [user, session]              # attribution keys of the schema
///   key_file: /run/secrets/tw-privacy.key      # default: <data file>.privacy-key
/// ```
public struct PrivacySettings: Sendable, Equatable {
    /// The pseudonymised attribution keys, sorted; empty turns pseudonyms off.
    public var pseudonymise: [String] = []
    /// The pseudonym key file; nil means beside the database file (the server knows where).
    /// Relative paths are relative to the working directory, like `audit.key_file`.
    public var keyFile: String?

    public init(pseudonymise: [String] = [], keyFile: String? = nil) {
        self.pseudonymise = pseudonymise
        self.keyFile = keyFile
    }

    /// Reads the `privacy:` mapping strictly: a key the schema does not allow, or one named
    /// twice, is reported at its `file:line:col`.
    static func parse(_ object: YAMLObject, schema: AttributionSchema) -> PrivacySettings {
        var settings = PrivacySettings()
        if let items = object.list("pseudonymise") {
            var labels: [String] = []
            for (index, item) in items.enumerated() {
                let path = "\(object.child("pseudonymise"))[\(index)]"
                guard case .scalar(let scalar) = item else {
                    object.diagnostics.error(YAMLMessage.wrongType(path, "an attribution key", found: item), at: item)
                    continue
                }
                let label = scalar.string
                if !schema.allows(label) {
                    object.diagnostics.error("\(path): \"\(label)\" is not an attribution key (allowed: \(schema.allowedKeys.joined(separator: ", ")))",
                                             at: item)
                } else if labels.contains(label) {
                    object.diagnostics.error("\(path): \"\(label)\" is named twice", at: item)
                } else {
                    labels.append(label)
                }
            }
            settings.pseudonymise = labels.sorted()
        }
        if let path = object.string("key_file"), let node = object.value("key_file") {
            if path.isEmpty {
                object.diagnostics.error("\(object.child("key_file")) must not be empty (leave it out for a key beside the database file)", at: node)
            } else {
                settings.keyFile = path
            }
        }
        object.rejectUnknownKeys()
        return settings
    }
}
