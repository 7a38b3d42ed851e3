import WardenCore

/// A rule-engine event as an Alertmanager v2 alert (`POST /api/v2/alerts` takes an array of them).
///
/// Alertmanager receivers take only the moments (``NotificationSettings/alertmanagerDefaultEvents``):
/// Prometheus's rules alert on budget steps. A webhook may still take the states.
///
/// Lifecycle, by action:
/// - a *state* that begins and ends: a budget step (`threshold_crossed_up` fires
///   `TokenWardenBudgetStep`, `threshold_crossed_down` resolves it) and a throttle
///   (`throttle_started` / `throttle_ended`, `TokenWardenBudgetThrottle`). The resolving event sends
///   the same labels with `endsAt` = the event's time; Alertmanager matches alerts by labels.
/// - a *moment*: `deny`, `policy_violation`, `reservation_expired`, reloads. Sent firing with
///   `endsAt` = time + ``momentLifetime``, so a notification goes out and the alert resolves by itself.
///
/// Labels are only what identifies the state (alertname, budget or rule, step, threshold, the
/// scope labels, severity): a resolve must carry exactly the labels of its firing alert, so
/// nothing that changes between the two (observed amounts) may be a label; those go to annotations.
public struct AlertmanagerAlert: Sendable, Equatable {
    public enum Lifecycle: Sendable, Equatable {
        case fires
        case resolves
        case moment
    }

    public var labels: [(key: String, value: String)]
    public var annotations: [(key: String, value: String)]
    public var startsAt: Timestamp
    public var lifecycle: Lifecycle

    /// Scope keys that never become alert labels.
    public static let unlabelledScopeKeys = ["user", "session"]

    /// How long a moment's alert stays active in Alertmanager.
    public static let momentLifetime: Int64 = 15 * 60 * 1_000_000_000

    public static func == (lhs: AlertmanagerAlert, rhs: AlertmanagerAlert) -> Bool {
        lhs.labels.elementsEqual(rhs.labels, by: ==) && lhs.annotations.elementsEqual(rhs.annotations, by: ==)
            && lhs.startsAt == rhs.startsAt && lhs.lifecycle == rhs.lifecycle
    }

    public init(_ notification: NotificationEvent) {
        let event = notification.event
        let at = event.detail.text("at")
        let message = event.detail.text("message")
        var labels: [(String, String)]
        let severity: String
        switch event.action {
        case AuditAction.thresholdCrossedUp, AuditAction.thresholdCrossedDown:
            lifecycle = event.action == AuditAction.thresholdCrossedUp ? .fires : .resolves
            labels = [("alertname", "TokenWardenBudgetStep"), ("budget", event.rule), ("step", event.decision), ("threshold", at ?? "")]
            severity = switch event.decision {
            case "deny": "critical"
            case "throttle", "warn": "warning"
            default: "info"
            }
        case AuditAction.throttleStarted, AuditAction.throttleEnded:
            lifecycle = event.action == AuditAction.throttleStarted ? .fires : .resolves
            labels = [("alertname", "TokenWardenBudgetThrottle"), ("budget", event.rule), ("threshold", at ?? "")]
            severity = "warning"
        case AuditAction.policyViolation:
            lifecycle = .moment
            labels = [("alertname", "TokenWardenPolicyViolation"), ("policy", event.rule), ("action", event.decision)]
            severity = event.decision == "deny" ? "critical" : "warning"
        case AuditAction.deny:
            lifecycle = .moment
            labels = [("alertname", "TokenWardenDeny"), ("rule", event.rule), ("kind", event.kind.rawValue)]
            severity = "warning"
        case AuditAction.reservationExpired:
            lifecycle = .moment
            labels = [("alertname", "TokenWardenReservationExpired")]
            severity = "info"
        case _ where event.kind == .override:
            lifecycle = .moment
            labels = [("alertname", "TokenWardenBudgetOverride"), ("budget", event.rule), ("action", event.action),
                      ("override", event.detail.text("id") ?? "")]
            severity = event.action == AuditAction.overrideRequested ? "warning" : "info"
        case _ where event.kind == .approval:
            lifecycle = .moment
            labels = [("alertname", "TokenWardenApproval"), ("policy", event.rule), ("action", event.action),
                      ("approval", event.detail.text("id") ?? "")]
            severity = event.action == AuditAction.approvalRequested ? "warning" : "info"
        default:
            lifecycle = .moment
            labels = [("alertname", event.action == AuditAction.rulesReloadFailed ? "TokenWardenRulesReloadFailed" : "TokenWardenRulesReloaded")]
            severity = event.action == AuditAction.rulesReloadFailed ? "warning" : "info"
        }
        // Scope labels never override the identifying ones (an attribution key named `budget`).
        // No per-user labels: a user or session id (or its pseudonym) would reach every receiver
        // and chat channel, and make one alert per user; the description still names the scope.
        let taken = Set(labels.map(\.0) + ["severity"] + Self.unlabelledScopeKeys)
        labels += event.scope.filter { !taken.contains($0.key) }.map { ($0.key, $0.value) }
        labels.append(("severity", severity))
        self.labels = labels.filter { !$0.1.isEmpty }.map { (key: $0.0, value: $0.1) }
        startsAt = event.time

        let subject = event.subject
        var summary: String
        switch event.action {
        case AuditAction.thresholdCrossedUp: summary = "\(subject) reached its \(at ?? "") \(event.decision) step"
        case AuditAction.thresholdCrossedDown: summary = "\(subject) left its \(at ?? "") \(event.decision) step"
        case AuditAction.throttleStarted: summary = "\(subject) is throttling requests"
        case AuditAction.throttleEnded: summary = "\(subject) stopped throttling requests"
        case AuditAction.policyViolation: summary = "policy \(event.rule) matched a request (\(event.decision))"
        case AuditAction.deny: summary = "\(subject) denied a request"
        case AuditAction.reservationExpired: summary = "a reservation expired unclaimed"
        case _ where event.kind == .override:
            summary = "override \(event.detail.text("id") ?? "") of \(subject): \(event.action.split(separator: "_").dropFirst().joined(separator: " "))"
        case _ where event.kind == .approval:
            summary = "approval \(event.detail.text("id") ?? "") (policy \(event.rule)): \(event.action.split(separator: "_").dropFirst().joined(separator: " "))"
        default: summary = event.action.split(separator: "_").joined(separator: " ")
        }
        annotations = [(key: "summary", value: summary), (key: "description", value: message ?? event.summaryLine)]
        if let observed = event.observed { annotations.append((key: "observed", value: observed)) }
        if let limit = event.limit { annotations.append((key: "limit", value: limit)) }
        annotations.append((key: "event_id", value: String(notification.id)))
    }

    /// Identifies the alert the way Alertmanager does: by its label set.
    public var fingerprint: String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
    }

    /// The alert's JSON object. `endsAt` is the resolve time (``Lifecycle/resolves``), the
    /// moment's expiry, or for a firing state the time the caller refreshes it to.
    public func json(endsAt: Timestamp, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("labels")
        writer.beginObject()
        for label in labels { writer.key(label.key); writer.string(label.value) }
        writer.endObject()
        writer.key("annotations")
        writer.beginObject()
        for annotation in annotations { writer.key(annotation.key); writer.string(annotation.value) }
        writer.endObject()
        writer.key("startsAt"); writer.string(startsAt.rfc3339)
        writer.key("endsAt"); writer.string(endsAt.rfc3339)
        writer.endObject()
    }

    /// A request body for a batch of alerts with their `endsAt`.
    public static func body(_ alerts: [(alert: AlertmanagerAlert, endsAt: Timestamp)]) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 512 * max(1, alerts.count))
        writer.beginArray()
        for item in alerts { item.alert.json(endsAt: item.endsAt, into: &writer) }
        writer.endArray()
        return writer.bytes
    }
}
