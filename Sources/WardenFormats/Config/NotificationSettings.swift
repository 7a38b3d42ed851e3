import WardenCore

/// Where the rule engine's events go: the `notifications:` section of `tokenwarden.yaml`.
///
/// ```yaml
/// notifications:
///   receivers:
///     - name: ops-webhook
///       webhook: {url: "http://127.0.0.1:9999/hook", secret_file: /etc/tokenwarden/hook.secret}  # or secret: "..."
///       events: [threshold_crossed_up, deny]     # default: every rule-engine event except reloads
///     - name: alertmanager
///       alertmanager: {url: "http://127.0.0.1:9093"}
///   outbox_limit: 100000                         # queued events per receiver; the oldest are dropped beyond it
///   max_backoff: 5m                              # retry delay cap for a receiver that is down
/// ```
public struct NotificationSettings: Sendable, Equatable {
    public var receivers: [NotificationReceiver] = []
    /// Events kept per receiver while it cannot be reached; beyond it the oldest are dropped (and counted).
    public var outboxLimit = 100_000
    /// The longest wait between two delivery attempts to a receiver that keeps failing.
    public var maxBackoff = RuleDuration(nanoseconds: 300_000_000_000)

    public init() {}

    /// The actions a receiver gets when it lists no `events`: every rule-engine event except
    /// the reload rows, which concern the operator of TokenWarden rather than budget owners.
    public static let defaultEvents: [String] = [
        AuditAction.thresholdCrossedUp, AuditAction.thresholdCrossedDown, AuditAction.throttleStarted,
        AuditAction.throttleEnded, AuditAction.deny, AuditAction.policyViolation, AuditAction.reservationExpired,
    ]

    /// The budget steps and throttles: states, which Prometheus's rules alert on
    /// (`Dashboards/prometheus/tokenwarden-alerts.yml`) from the budget gauges. An Alertmanager
    /// receiver does not take them, so one budget step is one alert; webhooks may.
    public static let stateEvents: [String] = [
        AuditAction.thresholdCrossedUp, AuditAction.thresholdCrossedDown, AuditAction.throttleStarted, AuditAction.throttleEnded,
    ]

    /// What an Alertmanager receiver gets when it lists no `events`: the moments only (a deny, a
    /// policy violation, an expired reservation), which no gauge shows.
    public static let alertmanagerDefaultEvents: [String] = defaultEvents.filter { !stateEvents.contains($0) }

    /// Every action a receiver may ask for.
    /// The override and approval actions are not sent by default: a receiver that wants to
    /// follow them lists them.
    public static let knownEvents: [String] = defaultEvents + [AuditAction.rulesReloaded, AuditAction.rulesReloadFailed]
        + AuditAction.overrideActions + AuditAction.approvalActions
}

/// One destination of notifications.
public struct NotificationReceiver: Sendable, Equatable {
    public enum Secret: Sendable, Equatable {
        case inline(String)
        /// Read by the server at start (the core reads no files); surrounding whitespace is trimmed.
        case file(String)
    }

    public enum Target: Sendable, Equatable {
        /// A generic JSON webhook, signed with HMAC-SHA256 of the body.
        case webhook(url: String, secret: Secret)
        /// Alertmanager's v2 API; `url` is its base (`http://host:9093`).
        case alertmanager(url: String)
    }

    /// Unique; the `receiver` label of the notification metrics.
    public var name: String
    public var target: Target
    /// The audit actions this receiver gets, in ``NotificationSettings/knownEvents`` order.
    public var events: [String]

    public init(name: String, target: Target, events: [String] = NotificationSettings.defaultEvents) {
        self.name = name
        self.target = target
        self.events = events
    }

    public var url: String {
        switch target {
        case .webhook(let url, _), .alertmanager(let url): url
        }
    }
}
