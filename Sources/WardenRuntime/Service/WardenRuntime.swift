import Foundation
import Logging
import ServiceLifecycle
import WardenCore
import WardenFormats
import WardenMetrics
import WardenStore

/// Everything the daemon runs except its HTTP edge: configuration, store, ledger, writer, rule
/// engine, audit log and notifications, and the services that run them.
///
/// Building it validates all configuration and opens the database (so a bad file fails before
/// anything binds a port). Running it is a ``ServiceGroup`` of ``services(http:)``: they start
/// together, the ones that need the restored state wait for the ``StartupGate``, and they stop in
/// the reverse of their order — HTTP first (in-flight requests finish while the writer still
/// commits), then the background loops, the writer (drained), the engine (reservations saved,
/// audit flushed), notifications, and the store last.
public final class WardenRuntime: Sendable {
    public let options: ServeOptions
    public let configuration: LoadedConfiguration
    /// `--web.config.file` as read at start; the HTTP edge serves TLS and asks for passwords by it.
    public let web: LoadedWebConfig?
    public var deployment: DeploymentConfig { configuration.deployment }
    public let logger: Logger
    public let clock: any WallClock
    public let startedAt: Timestamp
    public let store: UsageStore
    public let storeIdentity: DatabaseFileIdentity
    public let ledger: LiveLedger
    public let readiness = Readiness()
    public let writer: UsageWriter
    public let rules: RuleHost
    /// The prices in force; reloaded with the rules.
    public let pricing: LivePricing
    public let auditLog: AuditLog
    public let audit: AuditSink
    public let notifications: NotificationRelay
    public let gate = StartupGate()
    /// The API keys in memory, read again within a second of any change to the table.
    public let keyRing: KeyRing
    /// Who may do what (``DeploymentConfig/authMode``, the key ring); its failures are counted.
    public let authorizer: Authorizer
    /// Creating, rotating and revoking keys over HTTP (the command line opens its own).
    public let keyAdministration: KeyAdministration
    /// Budget overrides with four eyes, applied to ``rules`` as they change and expire.
    public let overrides: OverrideGovernance
    /// Approvals of checks refused by `require_approval` policies, with four eyes.
    public let approvals: ApprovalGovernance
    /// What a SIGHUP does besides reloading the rules.
    public let hangup = HangupActions()
    /// The collectors of every metric family besides the ledger's, in exposition order.
    public let collectors: [any MetricsCollector]
    /// What the LiteLLM webhook and the OTLP receiver did with each record they received.
    public let integrationRecords = IntegrationRecordCounts()
    /// The attribution labels replaced by pseudonyms (`privacy:`), for every decoder and filter.
    public let pseudonymisation: Pseudonymisation
    let userSpend: UserSpendExposition

    public init(options: ServeOptions, logger: Logger) throws {
        self.options = options
        self.logger = logger
        configuration = try Self.loadConfiguration(options, logger: logger)
        web = try Self.loadWebConfig(options)
        let deployment = configuration.deployment
        let clock = SystemClock()
        self.clock = clock
        startedAt = clock.now()
        (store, storeIdentity) = try Self.openStore(options, logger: logger)
        pseudonymisation = try Self.pseudonymisation(options, deployment: deployment, store: store, logger: logger)
        keyRing = KeyRing(store: store, clock: clock, logger: logger)
        authorizer = Authorizer(ring: keyRing, mode: deployment.authMode)
        try Self.checkExposure(options, deployment: deployment, keyRing: keyRing, logger: logger)
        ledger = LiveLedger(Ledger(labelKeys: deployment.schema.labelKeys, seriesLimit: deployment.seriesLimit))
        writer = UsageWriter(store: store, ledger: ledger, logger: logger, reporting: deployment.reporting, clock: clock)
        let ruleDirectory = RuleDirectory(path: options.rulesDirectory)
        let configuration = self.configuration
        let extraPricingFiles = options.extraPricingFiles
        let pricingDirectory = PricingDirectory(rulesDirectory: options.rulesDirectory)
        let pricing = LivePricing(pricer: UsagePricer(catalog: configuration.catalog, unknownModels: deployment.unknownModels),
                                  digests: configuration.pricingDigests,
                                  load: { pricingDirectory.load(extraFiles: extraPricingFiles) })
        self.pricing = pricing
        let initialRules = try Self.loadRules(ruleDirectory, schema: deployment.schema, currencies: configuration.catalog.currencies,
                                              logger: logger)
        let initialDigests = initialRules.digests
        Self.warnAboutRawScopes(initialRules.rules, pseudonymisation: pseudonymisation, logger: logger)
        do {
            notifications = try NotificationRelay(settings: deployment.notifications, store: store,
                                                  userAgent: "tokenwarden/\(WardenVersion.current)", logger: logger)
        } catch {
            throw ConfigurationLoadError(messages: [error.description])
        }
        let auditLog = try Self.openAuditLog(options, deployment: deployment, store: store, outbox: notifications.outbox, logger: logger)
        self.auditLog = auditLog
        audit = AuditSink(log: auditLog, logger: logger, appended: { [notifications] in notifications.wake() })
        let rules = Self.ruleHost(initialRules.rules, digests: initialDigests, directory: ruleDirectory, pricing: pricing,
                                  deployment: deployment, store: store, audit: audit, clock: clock, logger: logger)
        self.rules = rules
        let keyRing = self.keyRing
        keyAdministration = KeyAdministration(store: store, auditLog: auditLog, schema: deployment.schema, clock: clock,
                                              pseudonymisation: pseudonymisation, changed: { try? keyRing.reload() })
        let notifications = self.notifications
        overrides = OverrideGovernance(store: store, auditLog: auditLog, settings: deployment.governance, clock: clock,
                                       rules: { rules.currentRules }, apply: { rules.applyOverrides($0) },
                                       appended: { notifications.wake() }, pseudonymisation: pseudonymisation, logger: logger)
        approvals = ApprovalGovernance(store: store, auditLog: auditLog, settings: deployment.governance, clock: clock,
                                       appended: { notifications.wake() }, logger: logger)
        userSpend = UserSpendExposition()
        let failures = authorizer.failures
        collectors = [
            RuleExposition(status: { rules.snapshot() }, checkDuration: rules.checkDuration),
            AuditExposition(headSequence: { auditLog.headSeq }),
            NotificationExposition(receivers: { notifications.counts() }),
            PriceExposition(catalog: { pricing.catalog }, ledger: ledger, clock: clock),
            userSpend,
            AuthExposition(failures: { failures.snapshot() }),
            integrationRecords,
        ]
    }

    /// Refuses to serve a non-loopback address with `auth: auto` and no API key: anyone who
    /// reached the port could report usage as any team, release reservations, reload the rules
    /// and read every export. `--insecure-no-auth` overrides it; `auth: required` needs no
    /// override (without a key it refuses every request but health and readiness).
    private static func checkExposure(_ options: ServeOptions, deployment: DeploymentConfig, keyRing: KeyRing,
                                      logger: Logger) throws {
        do { try keyRing.reload() } catch {
            throw ConfigurationLoadError(messages: ["reading the API keys from \(options.databasePath) failed: \(error.message)"])
        }
        guard keyRing.isEmpty else { return }
        if deployment.authMode == .required {
            logger.warning("""
                auth: required and no API key exists: every request except /-/healthy and /-/ready is refused with 401 until \
                one is created (tokenwarden keys create --name NAME --role ROLE --data \(options.databasePath))
                """)
            return
        }
        guard !LoopbackAddress.contains(options.host) else { return }
        if options.insecureNoAuth {
            logger.warning("""
                serving \(options.host) without API keys (--insecure-no-auth): anyone who can reach it can report usage as any \
                team, release reservations, reload the rules and read every export, until a key is created
                """)
            return
        }
        throw ConfigurationLoadError(messages: ["""
            refusing to listen on \(options.host), which is not a loopback address, without API keys: anyone who can reach \
            it could report usage as any team, release reservations, reload the rules and read all spend and the audit log. \
            Create a key first (tokenwarden keys create --name admin --role admin --data \(options.databasePath)), listen on \
            127.0.0.1, or pass --insecure-no-auth to serve without authentication anyway
            """])
    }

    /// `tokenwarden.yaml` and the pricing files, validated together; their warnings logged.
    private static func loadConfiguration(_ options: ServeOptions, logger: Logger) throws -> LoadedConfiguration {
        let configuration = try ConfigurationLoader.load(rulesDirectory: options.rulesDirectory,
                                                         extraPricingFiles: options.extraPricingFiles)
        for warning in configuration.warnings.prefix(20) { logger.warning("\(warning)") }
        if configuration.warnings.count > 20 {
            logger.warning("\(configuration.warnings.count - 20) more pricing warnings (see `tokenwarden check config`)")
        }
        return configuration
    }

    /// `--web.config.file`, validated with the files it names, before anything is opened.
    private static func loadWebConfig(_ options: ServeOptions) throws -> LoadedWebConfig? {
        guard let path = options.webConfigFile else { return nil }
        do {
            return try WebConfigFile.load(path: path)
        } catch {
            throw ConfigurationLoadError(messages: error.errors.map(\.description))
        }
    }

    /// The database, created with its directory if missing, and the identity of its file.
    private static func openStore(_ options: ServeOptions, logger: Logger) throws -> (UsageStore, DatabaseFileIdentity) {
        let directory = (options.databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let store = try UsageStore(path: options.databasePath, durability: options.durability, logger: logger)
        return (store, try DatabaseFileIdentity(path: options.databasePath))
    }

    private static func loadRules(_ directory: RuleDirectory, schema: AttributionSchema, currencies: Set<String>,
                                  logger: Logger) throws -> RuleDirectory.Loaded {
        let loaded: RuleDirectory.Loaded
        do {
            loaded = try directory.loadWithDigests(schema: schema, currencies: currencies)
        } catch {
            throw ConfigurationLoadError(messages: error.errors.map(\.description))
        }
        for warning in loaded.rules.warnings { logger.warning("\(warning)") }
        return loaded
    }

    /// The audit log with its key (created on the first start, see ``auditKey(path:configured:store:logger:)``).
    /// A key problem stops the start; a chain that cannot be appended to (tampering) does not:
    /// usage is not audit, so the server runs and counts the refused appends.
    private static func openAuditLog(_ options: ServeOptions, deployment: DeploymentConfig, store: UsageStore,
                                     outbox: NotificationOutbox, logger: Logger) throws -> AuditLog {
        let keyPath = deployment.auditKeyFile ?? AuditKey.defaultPath(forDatabase: options.databasePath)
        let auditKey = try auditKey(path: keyPath, configured: deployment.auditKeyFile != nil, store: store, logger: logger)
        let auditLog = AuditLog(store: store, key: auditKey, outbox: outbox,
                                publication: AuditHeadPublication(every: Int64(deployment.auditPublishHeadEvery), logger: logger))
        do {
            try auditLog.open()
        } catch where error.isKeyProblem {
            throw ConfigurationLoadError(messages: ["audit key file \(keyPath): \(error.message)"])
        } catch {
            logger.error("the audit log cannot be appended to", metadata: ["error": "\(error.message)"])
        }
        return auditLog
    }

    /// The engine's host: reloads re-read `directory`; a budget a reload adds replays its usage.
    private static func ruleHost(_ rules: RuleSet, digests: [String: String], directory: RuleDirectory, pricing: LivePricing,
                                 deployment: DeploymentConfig,
                                 store: UsageStore, audit: AuditSink, clock: any WallClock, logger: Logger) -> RuleHost {
        let schema = deployment.schema
        let extraKeys = schema.allowedKeys.filter { !AttributionSchema.standard.allowedKeys.contains($0) }
        return RuleHost(
            rules: rules, digests: digests,
            configuration: RuleEngine.Configuration(reservationTTL: deployment.reservationTTL.nanoseconds,
                                                    maximumReservations: deployment.maxActiveReservations,
                                                    maximumReservationsPerKey: deployment.maxActiveReservationsPerKey),
            audit: audit, clock: clock, logger: logger, pricing: pricing,
            loadRules: { (currencies) throws(ConfigErrors) -> RuleDirectory.Loaded in
                try directory.loadWithDigests(schema: schema, currencies: currencies)
            },
            replay: { since, body in try store.replayEvents(since: since, extraKeys: extraKeys, body) })
    }

    /// The services to run, in start order; `http` serves the API (built by the HTTP edge).
    /// Shutdown goes in the reverse order (see the type's documentation).
    public func services(http: any Service) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let deployment = self.deployment
        let services: [any Service] = [
            StoreService(store: store, logger: logger),
            KeyRingService(ring: keyRing, logger: logger),
            NotificationService(relay: notifications, gate: gate),
            EngineService(store: store, ledger: ledger, reporting: deployment.reporting, clock: clock, rules: rules, overrides: overrides,
                          approvals: approvals, auditLog: auditLog, audit: audit, logger: logger, gate: gate),
            UsageWriterService(writer: writer, readiness: readiness, logger: logger, gate: gate),
            TickerService(rules: rules, overrides: overrides, approvals: approvals, auditLog: auditLog, retention: deployment.auditRetention, clock: clock,
                          logger: logger, gate: gate),
            UserSpendService(store: store, collector: userSpend, clock: clock, calendar: deployment.reporting,
                             refresh: .nanoseconds(deployment.userSpendRefresh.nanoseconds), logger: logger, gate: gate),
            WALCheckpointService(checkpointer: store.checkpointer),
            StoreWatchService(identity: storeIdentity, readiness: readiness, logger: logger, gate: gate),
            HangupReloadService(rules: rules, gate: gate, actions: hangup),
            http,
        ]
        return services.map { .init(service: $0) }
    }
}
