import WardenCore

/// Server-wide settings from `tokenwarden.yaml` in the rules directory.
///
/// ```yaml
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
/// audit:
///   retention: 400d                    # audit rows older than this are pruned (default: kept)
///   key_file: /run/secrets/tw-audit.key  # the chain's HMAC key (default: <data file>.audit-key)
///   publish_head_every: 1000           # log the chain's head every this many rows
/// notifications:                       # see ``NotificationSettings`` (default: no receivers)
///   receivers: [...]
/// ```
/// Every key is optional; the defaults are the values shown.
public struct DeploymentConfig: Sendable, Equatable {
    public typealias UnknownModelPolicy = WardenCore.UnknownModelPolicy

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
    /// Audit rows older than this are pruned (the chain stays verifiable); nil keeps everything.
    public var auditRetention: RuleDuration?
    /// The audit chain's key file; nil means beside the database file (the server knows where).
    /// Relative paths are relative to the working directory, like `secret_file`.
    public var auditKeyFile: String?
    /// The chain's head is logged each time its length passes a multiple of this.
    public var auditPublishHeadEvery = 1000
    /// Receivers of rule-engine events (webhooks, Alertmanager) and their outbox bound.
    public var notifications = NotificationSettings()

    public static let fileName = "tokenwarden.yaml"

    public init(schema: AttributionSchema = .standard, seriesLimit: Int = 10_000,
                maxBodyBytes: Int = 8 << 20, unknownModels: UnknownModelPolicy = .reject) {
        self.schema = schema
        self.seriesLimit = seriesLimit
        self.maxBodyBytes = maxBodyBytes
        self.unknownModels = unknownModels
    }

    public static func parse(yaml text: String, file: String) throws(ConfigErrors) -> DeploymentConfig {
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
            if let metrics = document.object("metrics") {
                config.seriesLimit = metrics.int("series_limit", range: 1...10_000_000) ?? config.seriesLimit
                if let text = metrics.string("user_spend_refresh"), let node = metrics.value("user_spend_refresh") {
                    if let refresh = try? RuleDuration(parsing: text), refresh.nanoseconds >= 1_000_000_000,
                       refresh.nanoseconds <= 86_400_000_000_000 {
                        config.userSpendRefresh = refresh
                    } else {
                        diagnostics.error("metrics.user_spend_refresh must be a duration between 1s and 24h such as 1m, not \"\(text)\"", at: node)
                    }
                }
                metrics.rejectUnknownKeys()
            }
            if let ingest = document.object("ingest") {
                if let size = ingest.string("max_body_bytes"), let node = ingest.value("max_body_bytes") {
                    if let bytes = ByteSize.parse(size), bytes >= 1024, bytes <= 1 << 30 {
                        config.maxBodyBytes = bytes
                    } else {
                        diagnostics.error("ingest.max_body_bytes must be a size between 1KiB and 1GiB such as 8MiB, not \"\(size)\"", at: node)
                    }
                }
                if let size = ingest.string("max_attribution_bytes"), let node = ingest.value("max_attribution_bytes") {
                    if let bytes = ByteSize.parse(size), bytes >= 256, bytes <= 1 << 20 {
                        config.maxAttributionBytes = bytes
                    } else {
                        diagnostics.error("ingest.max_attribution_bytes must be a size between 256B and 1MiB such as 4KiB, not \"\(size)\"", at: node)
                    }
                }
                if let policy = ingest.string("unknown_models"), let node = ingest.value("unknown_models") {
                    if let value = UnknownModelPolicy(rawValue: policy) {
                        config.unknownModels = value
                    } else {
                        diagnostics.error("ingest.unknown_models must be reject or record_at_zero_cost, not \"\(policy)\"", at: node)
                    }
                }
                ingest.rejectUnknownKeys()
            }
            if let reservations = document.object("reservations") {
                if let text = reservations.string("ttl"), let node = reservations.value("ttl") {
                    if let ttl = try? RuleDuration(parsing: text), ttl.nanoseconds >= 1_000_000_000, ttl.nanoseconds <= 86_400_000_000_000 {
                        config.reservationTTL = ttl
                    } else {
                        diagnostics.error("reservations.ttl must be a duration between 1s and 24h such as 5m, not \"\(text)\"", at: node)
                    }
                }
                config.maxActiveReservations = reservations.int("max_active", range: 1...100_000_000) ?? config.maxActiveReservations
                reservations.rejectUnknownKeys()
            }
            if let audit = document.object("audit") {
                if let text = audit.string("retention"), let node = audit.value("retention") {
                    if let retention = try? RuleDuration(parsing: text), retention.nanoseconds >= 3_600_000_000_000 {
                        config.auditRetention = retention
                    } else {
                        diagnostics.error("audit.retention must be a duration of at least 1h such as 400d, not \"\(text)\"", at: node)
                    }
                }
                if let path = audit.string("key_file"), let node = audit.value("key_file") {
                    if path.isEmpty {
                        diagnostics.error("audit.key_file must not be empty (leave it out for a key beside the database file)", at: node)
                    } else {
                        config.auditKeyFile = path
                    }
                }
                config.auditPublishHeadEvery = audit.int("publish_head_every", range: 1...1_000_000_000) ?? config.auditPublishHeadEvery
                audit.rejectUnknownKeys()
            }
            if let notifications = document.object("notifications") {
                config.notifications = NotificationSettings.parse(notifications)
            }
            document.rejectUnknownKeys()
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        return config
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

