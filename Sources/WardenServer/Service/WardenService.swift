import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenMetrics
import WardenStore

/// Options of `tokenwarden serve`.
public struct ServeOptions: Sendable {
    public var host: String
    public var port: Int
    public var rulesDirectory: String
    public var databasePath: String
    public var extraPricingFiles: [String]
    public var durability: Durability
    public var threadPoolSize: Int

    public init(host: String = "127.0.0.1", port: Int = 9473, rulesDirectory: String = "./Rules",
                databasePath: String = "./data/tokenwarden.sqlite", extraPricingFiles: [String] = [],
                durability: Durability = .processCrash, threadPoolSize: Int = 2) {
        self.host = host
        self.port = port
        self.rulesDirectory = rulesDirectory
        self.databasePath = databasePath
        self.extraPricingFiles = extraPricingFiles
        self.durability = durability
        self.threadPoolSize = threadPoolSize
    }
}

/// The running daemon: configuration, store, writer, ledger and HTTP server, started and
/// stopped in the order that keeps acknowledged data safe.
///
/// Start: validate all configuration (fail before binding anything) → open the database →
/// serve HTTP (so `/-/healthy` answers during a long restore) → restore the ledger → start the
/// writer → ready. Stop: stop accepting and let in-flight requests finish (the writer is still
/// committing them) → drain the writer → checkpoint and close the database.
public final class WardenService: Sendable {
    public let options: ServeOptions
    public let configuration: LoadedConfiguration
    let logger: Logger
    let store: UsageStore
    let ledger: LiveLedger
    let readiness = Readiness()
    let writer: UsageWriter
    let http: HTTPServer
    let startedAt: Timestamp
    public let rules: RuleHost
    let auditLog: AuditLog
    let audit: AuditSink
    let notifications: NotificationRelay
    private let ticker: Ticker
    private let storeWatch: StoreWatch
    private let userSpend: UserSpendExposition

    public init(options: ServeOptions, logger: Logger) throws {
        self.options = options
        self.logger = logger
        configuration = try ConfigurationLoader.load(rulesDirectory: options.rulesDirectory,
                                                     extraPricingFiles: options.extraPricingFiles)
        for warning in configuration.warnings.prefix(20) { logger.warning("\(warning)") }
        if configuration.warnings.count > 20 {
            logger.warning("\(configuration.warnings.count - 20) more pricing warnings (see `tokenwarden check config`)")
        }
        let clock = SystemClock()
        startedAt = clock.now()

        let directory = (options.databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        store = try UsageStore(path: options.databasePath, durability: options.durability, logger: logger)
        storeWatch = StoreWatch(identity: try DatabaseFileIdentity(path: options.databasePath), readiness: readiness, logger: logger)
        let deployment = configuration.deployment
        ledger = LiveLedger(Ledger(labelKeys: deployment.schema.labelKeys, seriesLimit: deployment.seriesLimit))
        writer = UsageWriter(store: store, ledger: ledger, logger: logger)

        let ruleDirectory = RuleDirectory(path: options.rulesDirectory)
        let schema = deployment.schema
        let initialRules: RuleSet
        do {
            initialRules = try ruleDirectory.load(schema: schema)
        } catch {
            throw ConfigurationLoadError(messages: error.errors.map(\.description))
        }
        for warning in initialRules.warnings { logger.warning("\(warning)") }
        do {
            notifications = try NotificationRelay(settings: deployment.notifications, store: store, clock: clock,
                                                  userAgent: "tokenwarden/\(WardenVersion.current)", logger: logger)
        } catch {
            throw ConfigurationLoadError(messages: [error.description])
        }
        let keyPath = deployment.auditKeyFile ?? AuditKey.defaultPath(forDatabase: options.databasePath)
        let auditKey = try Self.auditKey(path: keyPath, configured: deployment.auditKeyFile != nil, store: store, logger: logger)
        let auditLog = AuditLog(store: store, key: auditKey, outbox: notifications.outbox,
                                publication: AuditHeadPublication(every: Int64(deployment.auditPublishHeadEvery), logger: logger))
        do {
            try auditLog.open()
        } catch where error.isKeyProblem {
            throw ConfigurationLoadError(messages: ["audit key file \(keyPath): \(error.message)"])
        } catch {
            // Tampering, not configuration: the server runs (usage is not audit), appends are
            // refused and counted (tokenwarden_audit_append_failures_total) until it is resolved.
            logger.error("the audit log cannot be appended to", metadata: ["error": "\(error.message)"])
        }
        self.auditLog = auditLog
        audit = AuditSink(log: auditLog, logger: logger, appended: { [notifications] in notifications.wake() })
        let extraKeys = schema.allowedKeys.filter { !AttributionSchema.standard.allowedKeys.contains($0) }
        let store = self.store
        rules = RuleHost(
            rules: initialRules,
            configuration: RuleEngine.Configuration(reservationTTL: deployment.reservationTTL.nanoseconds,
                                                    maximumReservations: deployment.maxActiveReservations),
            audit: audit, clock: clock, logger: logger,
            loadRules: { () throws(ConfigErrors) -> RuleSet in try ruleDirectory.load(schema: schema) },
            replay: { since, body in try store.replayEvents(since: since, extraKeys: extraKeys, body) })
        ticker = Ticker(rules: rules, auditLog: auditLog, retention: deployment.auditRetention, clock: clock, logger: logger)
        userSpend = UserSpendExposition(store: store, clock: clock,
                                        refresh: .nanoseconds(deployment.userSpendRefresh.nanoseconds), logger: logger)

        let ingestDuration = Histogram(upperBounds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
        let ingest = UsageIngestRoute(
            decoder: UsageEventDecoder(schema: deployment.schema, maxAttributionBytes: deployment.maxAttributionBytes),
            pricer: UsagePricer(catalog: configuration.catalog, unknownModels: deployment.unknownModels),
            writer: writer, readiness: readiness, clock: clock, duration: ingestDuration, logger: logger,
            recorded: { [rules] events in rules.record(events) })
        let check = CheckRoute(decoder: CheckRequestDecoder(schema: deployment.schema, maxAttributionBytes: deployment.maxAttributionBytes), catalog: configuration.catalog,
                               unknownModels: deployment.unknownModels, host: rules, readiness: readiness, clock: clock)
        let reservations = ReservationRoute(host: rules)
        let reload = ReloadRoute(host: rules)
        let ruleMetrics = RuleExposition(host: rules)
        let auditMetrics = AuditExposition(log: auditLog)
        let notificationMetrics = NotificationExposition(relay: notifications)
        let priceMetrics = PriceExposition(catalog: configuration.catalog, ledger: ledger, clock: clock)
        let userSpendMetrics = userSpend
        let export = UsageExportRoute(store: store, schema: deployment.schema)
        let auditExport = AuditExportRoute(audit: auditLog)
        let metrics = MetricsRoute(version: WardenVersion.current, ledger: LedgerExposition(ledger: ledger),
                                   ingestDuration: ingestDuration, extraFamilies: {
                                       ruleMetrics.write(into: &$0)
                                       auditMetrics.write(into: &$0)
                                       notificationMetrics.write(into: &$0)
                                       priceMetrics.write(into: &$0)
                                       userSpendMetrics.write(into: &$0)
                                   })
        let landing = LandingPage(version: WardenVersion.current, startedAt: startedAt, clock: clock,
                                  ledger: ledger, readiness: readiness, store: store, rules: rules)
        let readiness = self.readiness
        let router = Router([
            ("/", .init(methods: ["GET"], handler: landing.handle)),
            ("/metrics", .init(methods: ["GET"], handler: metrics.handle)),
            ("/-/healthy", .init(methods: ["GET"], handler: HealthRoutes.healthy)),
            ("/-/ready", .init(methods: ["GET"], handler: HealthRoutes.ready(readiness))),
            ("/v1/usage", .init(methods: ["POST"], handler: ingest.handle)),
            ("/v1/usage", .init(methods: ["GET"], handler: export.json)),
            ("/v1/usage.csv", .init(methods: ["GET"], handler: export.csv)),
            ("/v1/audit", .init(methods: ["GET"], handler: auditExport.json)),
            ("/v1/audit.csv", .init(methods: ["GET"], handler: auditExport.csv)),
            ("/v1/check", .init(methods: ["POST"], handler: check.handle)),
            ("/-/reload", .init(methods: ["POST"], handler: reload.handle)),
        ], prefixes: [
            (ReservationRoute.prefix, .init(methods: ["DELETE"], handler: reservations.handle)),
        ])
        var httpConfiguration = HTTPServerConfiguration()
        httpConfiguration.host = options.host
        httpConfiguration.port = options.port
        httpConfiguration.threadPoolSize = options.threadPoolSize
        httpConfiguration.maxBodyBytes = deployment.maxBodyBytes
        httpConfiguration.bodyTooLarge = { [writer] path in
            if path == "/v1/usage" { writer.noteRejected(reason: "too_large") }
        }
        http = HTTPServer(configuration: httpConfiguration, handler: router, logger: logger)
    }

    /// Re-reads the rule files (SIGHUP); a failure keeps the rules in force.
    @discardableResult
    public func reloadRules() -> RuleHost.ReloadResult { rules.reloadRules() }

    /// The port actually bound (useful with port 0).
    public var boundPort: Int { http.boundPort }

    public func start() throws {
        try http.start()
        logger.info("listening", metadata: ["address": "\(options.host):\(http.boundPort)"])
        let started = ContinuousClock.now
        let restored = try store.restoreLedger(labelKeys: ledger.read { $0.labelKeys }, seriesLimit: ledger.read { $0.seriesLimit })
        ledger.replace(with: restored)
        try rules.restore(audited: auditLog.lastBudgetSteps())
        do {
            rules.restoreReservations(try store.takeSavedReservations())
        } catch {
            // They are holds, not usage: starting without them beats not starting.
            logger.error("saved reservations could not be read; starting without them", metadata: ["error": "\(error)"])
        }
        writer.start()
        ticker.start()
        userSpend.start()
        notifications.start()
        readiness.markReady()
        storeWatch.start()
        logger.info("ready", metadata: [
            "series": "\(restored.seriesCount)", "requests": "\(restored.grandTotal.requests)",
            "restore_seconds": "\(UsageIngestRoute.seconds(since: started))",
        ])
    }

    public func shutdown() {
        logger.info("shutting down")
        http.stop()
        writer.stop()
        ticker.stop()
        userSpend.stop()
        storeWatch.stop()
        // After the HTTP server and the writer: nothing can reserve, commit or release any more.
        let reservations = rules.savedReservations()
        do {
            try store.saveReservations(reservations)
            if !reservations.isEmpty { logger.info("reservations saved", metadata: ["reservations": "\(reservations.count)"]) }
        } catch {
            logger.error("live reservations could not be saved; the next start begins without them", metadata: ["error": "\(error)"])
        }
        audit.flush()
        auditLog.publishHead(reason: "shutdown")
        notifications.stop()
        store.close()
        logger.info("stopped")
    }
}
