import WardenCore

/// A rule-engine moment as an Alertmanager v2 alert (`POST /api/v2/alerts` takes an array of them).
///
/// Alertmanager receivers take only the moments (``NotificationSettings/alertmanagerDefaultEvents``,
/// plus reloads, overrides and approvals when listed): a deny, a policy violation, an expired
/// reservation. Budget steps and throttles are states that the budget gauges show, and
/// Prometheus's rules alert on them (one owner per signal), so they have no alert here; a webhook
/// may still take them.
///
/// A moment is sent firing with `endsAt` = its time + ``momentLifetime``: a notification goes
/// out and the alert resolves by itself, with nothing to re-send or resolve later.
///
/// Labels are only what identifies the alert (alertname, rule or policy, the scope labels,
/// severity): Alertmanager merges alerts with equal labels, so repeated denials by one budget
/// within the lifetime are one alert rather than a flood. What differs between occurrences
/// (observed amounts, the event id) goes to annotations.
public struct AlertmanagerAlert: Sendable, Equatable {
    public var labels: [(key: String, value: String)]
    public var annotations: [(key: String, value: String)]
    public var startsAt: Timestamp

    /// Scope keys that never become alert labels.
    public static let unlabelledScopeKeys = ["user", "session"]

    /// How long a moment's alert stays active in Alertmanager.
    public static let momentLifetime: Int64 = 15 * 60 * 1_000_000_000

    public static func == (lhs: AlertmanagerAlert, rhs: AlertmanagerAlert) -> Bool {
        lhs.labels.elementsEqual(rhs.labels, by: ==) && lhs.annotations.elementsEqual(rhs.annotations, by: ==)
            && lhs.startsAt == rhs.startsAt
    }

    /// When Alertmanager resolves the alert by itself: ``momentLifetime`` after ``startsAt``
    /// (saturating at the largest timestamp).
    public var endsAt: Timestamp {
        let (sum, overflow) = startsAt.nanosecondsSinceEpoch.addingReportingOverflow(Self.momentLifetime)
        return Timestamp(nanosecondsSinceEpoch: overflow ? .max : sum)
    }

    /// The alert for a moment; nil for a state (``NotificationSettings/stateEvents``), which
    /// Alertmanager is not sent.
    public init?(_ notification: NotificationEvent) {
        let event = notification.event
        if NotificationSettings.stateEvents.contains(event.action) { return nil }
        let message = event.detail.text("message")
        var labels: [(String, String)]
        let severity: String
        switch event.action {
        case AuditAction.policyViolation:
            labels = [("alertname", "TokenWardenPolicyViolation"), ("policy", event.rule), ("action", event.decision)]
            severity = event.decision == "deny" ? "critical" : "warning"
        case AuditAction.deny:
            labels = [("alertname", "TokenWardenDeny"), ("rule", event.rule), ("kind", event.kind.rawValue)]
            severity = "warning"
        case AuditAction.reservationExpired:
            labels = [("alertname", "TokenWardenReservationExpired")]
            severity = "info"
        case _ where event.kind == .override:
            labels = [("alertname", "TokenWardenBudgetOverride"), ("budget", event.rule), ("action", event.action),
                      ("override", event.detail.text("id") ?? "")]
            severity = event.action == AuditAction.overrideRequested ? "warning" : "info"
        case _ where event.kind == .approval:
            labels = [("alertname", "TokenWardenApproval"), ("policy", event.rule), ("action", event.action),
                      ("approval", event.detail.text("id") ?? "")]
            severity = event.action == AuditAction.approvalRequested ? "warning" : "info"
        default:
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

    /// The alert's JSON object.
    public func json(into writer: inout JSONWriter) {
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

    /// A request body for a batch of alerts.
    public static func body(_ alerts: [AlertmanagerAlert]) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 512 * max(1, alerts.count))
        writer.beginArray()
        for alert in alerts { alert.json(into: &writer) }
        writer.endArray()
        return writer.bytes
    }
}
