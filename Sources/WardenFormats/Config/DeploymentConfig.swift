import WardenCore

/// Server-wide settings from `tokenwarden.yaml` in the rules directory.
///
/// ```yaml
/// auth: auto                           # or required: who must present an API key
/// attribution:
///   extra_keys: [cost_center]          # accepted in events besides the standard keys
///   metric_labels: [org, team, project, agent]
/// metrics:
///   series_limit: 10000                # label sets per family before `__other__`
///   user_spend_refresh: 1m             # how often tokenwarden_user_spend is recomputed
/// ingest:
///   max_body_bytes: 8MiB
///   unknown_models: reject             # or record_at_zero_cost
///   max_attribution_bytes: 4KiB        # an event's or check's attribution keys and values in all
/// reservations:
///   ttl: 5m                            # unclaimed reservations are released after this
///   max_active: 1000000                # live reservations before checks are answered 503
///   max_active_per_key: 10000          # live reservations one API key may hold
/// audit:
///   retention: 400d                    # audit rows older than this are pruned (default: kept)
///   key_file: /run/secrets/tw-audit.key  # the chain's HMAC key (default: <data file>.audit-key)
///   publish_head_every: 1000           # log the chain's head every this many rows
/// notifications:                       # see ``NotificationSettings`` (default: no receivers)
///   receivers: [...]
/// privacy:                             # see ``PrivacySettings`` (default: nothing pseudonymised)
///   pseudonymise: [user, session]
/// governance:                          # overrides (see ``GovernanceSettings``)
///   override_max_duration: 30d
///   approval_ttl: 24h
///   auto_approve_below: ["100.00 USD", "1_000_000 tokens"]   # default: absent, every override needs an approver
/// reporting:                           # what "today", "this week", "this month" mean in spend reports
///   timezone: UTC                      # IANA name: the period gauges, tokenwarden_user_spend, the spend page
///   week_start: monday
/// integrations:                        # see ``IntegrationSettings``
///   litellm: {attribution: {team: metadata.user_api_key_team_alias, agent: metadata.user_api_key_alias, user: end_user}}
///   otlp: {attribution: {agent: resource.service.name, team: span.tokenwarden.team}, input_tokens_include_cache: {anthropic: false}}
/// http:                                # see ``HTTPSettings``
///   max_connections: 1024
///   max_connections_per_client: 64
///   idle_timeout: 15s
///   request_timeout: 30s
///   max_header_bytes: 32KiB
/// ```
/// Every key is optional; the defaults are the values shown.
public struct DeploymentConfig: Sendable, Equatable {
    public typealias UnknownModelPolicy = WardenCore.UnknownModelPolicy

    /// When requests must present an API key.
    public enum AuthMode: String, Sendable, CaseIterable {
        /// As soon as one key exists in the database (revoked and expired ones count).
        case auto
        /// Always: with no key every request but health and readiness is refused.
        case required
    }

    public var authMode = AuthMode.auto

    public var schema: AttributionSchema
    public var seriesLimit: Int
    /// How often the per-user spend of the current day and month (`tokenwarden_user_spend`) is
    /// recomputed from the usage log: each refresh scans the month's events.
    public var userSpendRefresh = RuleDuration(nanoseconds: 60_000_000_000)
    public var maxBodyBytes: Int
    public var unknownModels: UnknownModelPolicy
    /// Most bytes one event's or check's attribution keys and values may take together.
    public var maxAttributionBytes = InputBounds.defaultMaxAttributionBytes
    /// How long a check's reservation is held before it expires unclaimed.
    public var reservationTTL = RuleDuration(nanoseconds: 300_000_000_000)
    /// Live reservations the server holds at most (about 0.7 KB each): past it, a check that
    /// would reserve is answered 503 instead of growing memory without bound.
    public var maxActiveReservations = 1_000_000
    /// Live reservations one API key's checks may hold, so one client cannot take them all.
    public var maxActiveReservationsPerKey = 10_000
    /// Audit rows older than this are pruned (the chain stays verifiable); nil keeps everything.
    public var auditRetention: RuleDuration?
    /// The audit chain's key file; nil means beside the database file (the server knows where).
    /// Relative paths are relative to the working directory, like `secret_file`.
    public var auditKeyFile: String?
    /// The chain's head is logged each time its length passes a multiple of this.
    public var auditPublishHeadEvery = 1000
    /// Receivers of rule-engine events (webhooks, Alertmanager) and their outbox bound.
    public var notifications = NotificationSettings()
    /// How much of the listener one client may take (connections, timeouts, header size).
    public var http = HTTPSettings()
    /// The attribution labels kept only as pseudonyms, and their key file.
    public var privacy = PrivacySettings()
    /// Overrides: their longest duration, the approval window, what needs no approver.
    public var governance = GovernanceSettings()
    /// The time zone and week start of the reported periods (period gauges, per-user spend, the
    /// spend page). Budgets keep their own zones.
    public var reporting = ReportingCalendar.utc
    /// Where the LiteLLM webhook and the OTLP receiver read attribution, and how OTLP counts read.
    public var integrations = IntegrationSettings()

    public static let fileName = "tokenwarden.yaml"

    public init(schema: AttributionSchema = .standard, seriesLimit: Int = 10_000,
                maxBodyBytes: Int = 8 << 20, unknownModels: UnknownModelPolicy = .reject) {
        self.schema = schema
        self.seriesLimit = seriesLimit
        self.maxBodyBytes = maxBodyBytes
        self.unknownModels = unknownModels
    }

    /// Parses the file; `resolveZone` reads the zone `reporting.timezone` names (without it,
    /// only UTC is known).
    public static func parse(yaml text: String, file: String,
                             resolveZone: RuleSetParser.TimeZoneResolver = DeploymentConfig.onlyUTC) throws(ConfigErrors) -> DeploymentConfig {
        let diagnostics = YAMLDiagnostics(file: file)
        var config = DeploymentConfig()
        if let root = diagnostics.compose(text), let document = YAMLObject(root, path: "", diagnostics: diagnostics) {
            var extraKeys: [String] = []
            var labelKeys = AttributionSchema.defaultLabelKeys
            var labelNode = root
            if let attribution = document.object("attribution") {
                extraKeys = attribution.stringList("extra_keys") ?? []
                if let labels = attribution.stringList("metric_labels") {
                    labelKeys = labels
                    labelNode = attribution.value("metric_labels") ?? root
                }
                attribution.rejectUnknownKeys()
            }
            do {
                config.schema = try AttributionSchema(extraKeys: extraKeys, labelKeys: labelKeys)
            } catch {
                diagnostics.error(error.message, at: labelNode)
            }
            config.authMode = document.choice("auth", as: AuthMode.self) ?? config.authMode
            if let metrics = document.object("metrics") {
                config.seriesLimit = metrics.integer("series_limit", in: 1...10_000_000) ?? config.seriesLimit
                config.userSpendRefresh = metrics.duration("user_spend_refresh", from: "1s", to: "24h", example: "1m")
                    ?? config.userSpendRefresh
                metrics.rejectUnknownKeys()
            }
            if let ingest = document.object("ingest") {
                config.maxBodyBytes = ingest.byteSize("max_body_bytes", from: "1KiB", to: "1GiB", example: "8MiB")
                    ?? config.maxBodyBytes
                config.maxAttributionBytes = ingest.byteSize("max_attribution_bytes", from: "256B", to: "1MiB", example: "4KiB")
                    ?? config.maxAttributionBytes
                config.unknownModels = ingest.choice("unknown_models", as: UnknownModelPolicy.self) ?? config.unknownModels
                ingest.rejectUnknownKeys()
            }
            if let reservations = document.object("reservations") {
                config.reservationTTL = reservations.duration("ttl", from: "1s", to: "24h", example: "5m") ?? config.reservationTTL
                config.maxActiveReservations = reservations.integer("max_active", in: 1...100_000_000) ?? config.maxActiveReservations
                config.maxActiveReservationsPerKey = reservations.integer("max_active_per_key", in: 1...100_000_000)
                    ?? config.maxActiveReservationsPerKey
                reservations.rejectUnknownKeys()
            }
            if let audit = document.object("audit") {
                config.auditRetention = audit.duration("retention", from: "1h", to: nil, example: "400d")
                if let path = audit.string("key_file"), let node = audit.value("key_file") {
                    if path.isEmpty {
                        diagnostics.error("audit.key_file must not be empty (leave it out for a key beside the database file)", at: node)
                    } else {
                        config.auditKeyFile = path
                    }
                }
                config.auditPublishHeadEvery = audit.integer("publish_head_every", in: 1...1_000_000_000) ?? config.auditPublishHeadEvery
                audit.rejectUnknownKeys()
            }
            if let notifications = document.object("notifications") {
                config.notifications = NotificationSettings.parse(notifications)
            }
            if let http = document.object("http") {
                config.http = HTTPSettings.parse(http)
            }
            if let privacy = document.object("privacy") {
                config.privacy = PrivacySettings.parse(privacy, schema: config.schema)
            }
            if let governance = document.object("governance") {
                config.governance = GovernanceSettings.parse(governance)
            }
            if let reporting = document.object("reporting") {
                config.reporting = ReportingCalendar.parse(reporting, resolveZone: resolveZone)
            }
            if let integrations = document.object("integrations") {
                config.integrations = IntegrationSettings.parse(integrations, schema: config.schema)
            }
            document.rejectUnknownKeys()
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        return config
    }
}

extension DeploymentConfig {
    /// A resolver that knows no zone but UTC (which never reaches it), for callers without a
    /// zoneinfo directory.
    public static func onlyUTC(_ name: String) throws -> TimeZoneRules {
        throw UnknownZone(name: name)
    }

    struct UnknownZone: Error, CustomStringConvertible {
        var name: String
        var description: String { "unknown time zone \"\(name)\" (no time zone database was given; UTC is known)" }
    }
}

/// Sizes written as `8388608`, `512KiB`, `8MiB`, `1GiB` (also `KB`/`MB`/`GB` as powers of 1000).
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.filter { $0 != "_" }
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30),
                                      ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Int(trimmed.dropLast(suffix.count).trimmingWhitespace()) else { return nil }
            return number.multipliedReportingOverflow(by: factor).overflow ? nil : number * factor
        }
        return Int(trimmed)
    }
}

