import Logging
import ServiceLifecycle
import WardenCore
import WardenFormats
import WardenMetrics
import WardenRuntime
import WardenStore

/// The HTTP API over a runtime: every route on its path, the router, and the libmicrohttpd
/// server that serves them, as one service of the runtime's group (``service``).
public final class HTTPEdge: Sendable {
    public let server: HTTPServer
    public let router: Router
    /// TLS and the `/metrics` users, from `--web.config.file`.
    public let web: EdgeWebConfig
    let logger: Logger
    let address: String

    /// - Throws: ``ConfigurationLoadError`` when GnuTLS cannot use the web configuration's
    ///   certificate, key or client CA.
    public init(runtime: WardenRuntime) throws {
        let web = try EdgeWebConfig(runtime.web, logger: runtime.logger)
        self.web = web
        let deployment = runtime.deployment
        let options = runtime.options
        let ingestDuration = Histogram(upperBounds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
        let rules = runtime.rules
        let writer = runtime.writer
        let ingest = UsageIngestRoute(
            decoder: UsageEventDecoder(schema: deployment.schema, maxAttributionBytes: deployment.maxAttributionBytes,
                                       pseudonymisation: runtime.pseudonymisation),
            pricing: runtime.pricing,
            writer: writer, readiness: runtime.readiness, clock: runtime.clock, duration: ingestDuration, logger: runtime.logger,
            authFailures: runtime.authorizer.failures, recorded: { events in rules.record(events) })
        let integrationIngest = IntegrationIngest(
            pricing: runtime.pricing,
            writer: writer, readiness: runtime.readiness, clock: runtime.clock, maxAttributionBytes: deployment.maxAttributionBytes,
            authFailures: runtime.authorizer.failures, counts: runtime.integrationRecords, recorded: { events in rules.record(events) })
        let litellm = LiteLLMRoute(
            decoder: LiteLLMPayloadDecoder(settings: deployment.integrations.litellm, maxAttributionBytes: deployment.maxAttributionBytes,
                                           pseudonymisation: runtime.pseudonymisation),
            ingest: integrationIngest, logger: runtime.logger)
        let traces = OTLPTraceRoute(
            reader: GenAISpanReader(settings: deployment.integrations.otlp, maxAttributionBytes: deployment.maxAttributionBytes,
                                    pseudonymisation: runtime.pseudonymisation),
            ingest: integrationIngest, maxBodyBytes: deployment.maxBodyBytes)
        let check = CheckRoute(decoder: CheckRequestDecoder(schema: deployment.schema, maxAttributionBytes: deployment.maxAttributionBytes,
                                                            pseudonymisation: runtime.pseudonymisation),
                               pricing: runtime.pricing, unknownModels: deployment.unknownModels, host: rules,
                               readiness: runtime.readiness, clock: runtime.clock, authFailures: runtime.authorizer.failures,
                               approvals: runtime.approvals)
        let reservations = ReservationRoute(host: rules)
        let reload = ReloadRoute(host: rules)
        let export = UsageExportRoute(store: runtime.store, schema: deployment.schema, pseudonymisation: runtime.pseudonymisation)
        let auditExport = AuditExportRoute(audit: runtime.auditLog)
        let budgetStatus = BudgetStatusRoute(host: rules, schema: deployment.schema, pseudonymisation: runtime.pseudonymisation)
        let requests = HTTPRequestCounts()
        let metrics = MetricsRoute(version: WardenVersion.current, ledger: LedgerExposition(ledger: runtime.ledger, reporting: deployment.reporting,
                                                                                               clock: runtime.clock),
                                   ingestDuration: ingestDuration, collectors: runtime.collectors + [requests])
        let landing = LandingPage(version: WardenVersion.current, startedAt: runtime.startedAt, clock: runtime.clock,
                                  calendar: deployment.reporting,
                                  ledger: runtime.ledger, readiness: runtime.readiness, store: runtime.store, rules: rules,
                                  overrides: runtime.overrides, approvals: runtime.approvals)
        let keys = KeyRoutes(administration: runtime.keyAdministration, clock: runtime.clock)
        let overrides = OverrideRoutes(governance: runtime.overrides)
        let approvals = ApprovalRoutes(governance: runtime.approvals)
        let readiness = runtime.readiness
        // Each route's operation names the role a key needs for it (APIOperation.requiredRole).
        router = Router([
            ("/", .init(methods: ["GET"], operation: .spendPage, handler: landing.handle)),
            ("/metrics", .init(methods: ["GET"], operation: .metrics, passwords: web.passwords, handler: metrics.handle)),
            ("/-/healthy", .init(methods: ["GET"], operation: .health, handler: HealthRoutes.healthy)),
            ("/-/ready", .init(methods: ["GET"], operation: .health, handler: HealthRoutes.ready(readiness))),
            ("/openapi.json", .init(methods: ["GET"], operation: .apiDescription, handler: OpenAPIRoute.handle)),
            ("/v1/usage", .init(methods: ["POST"], operation: .ingest, handler: ingest.handle)),
            ("/v1/usage", .init(methods: ["GET"], operation: .exportUsage, handler: export.json)),
            (LiteLLMRoute.path, .init(methods: ["POST"], operation: .ingest, handler: litellm.handle)),
            (OTLPTraceRoute.path, .init(methods: ["POST"], operation: .ingest, handler: traces.handle)),
            ("/v1/usage.csv", .init(methods: ["GET"], operation: .exportUsage, handler: export.csv)),
            ("/v1/usage.ndjson", .init(methods: ["GET"], operation: .exportUsage, handler: export.ndjson)),
            ("/v1/audit", .init(methods: ["GET"], operation: .exportAudit, handler: auditExport.json)),
            ("/v1/audit.csv", .init(methods: ["GET"], operation: .exportAudit, handler: auditExport.csv)),
            ("/v1/check", .init(methods: ["POST"], operation: .check, handler: check.handle)),
            ("/v1/budgets", .init(methods: ["GET"], operation: .budgetStatus, handler: budgetStatus.list)),
            ("/-/reload", .init(methods: ["POST"], operation: .reload, handler: reload.handle)),
            ("/v1/keys", .init(methods: ["POST"], operation: .manageKeys, handler: keys.create)),
            ("/v1/keys", .init(methods: ["GET"], operation: .manageKeys, handler: keys.list)),
            ("/v1/overrides", .init(methods: ["POST"], operation: .overrides, handler: overrides.create)),
            ("/v1/overrides", .init(methods: ["GET"], operation: .overrides, handler: overrides.list)),
            ("/v1/approvals", .init(methods: ["GET"], operation: .approvals, handler: approvals.list)),
        ], prefixes: [
            (ReservationRoute.prefix, .init(methods: ["DELETE"], operation: .releaseReservation, patterns: ["/v1/reservations/{id}"],
                                            handler: reservations.handle)),
            (KeyRoutes.prefix, .init(methods: ["POST"], operation: .manageKeys, patterns: ["/v1/keys/{name}/rotate", "/v1/keys/{name}/revoke"],
                                     handler: keys.action)),
            (BudgetStatusRoute.prefix, .init(methods: ["GET"], operation: .budgetStatus, patterns: ["/v1/budgets/{name}"],
                                             handler: budgetStatus.one)),
            (OverrideRoutes.prefix, .init(methods: ["POST"], operation: .overrides,
                                          patterns: ["/v1/overrides/{id}/approve", "/v1/overrides/{id}/reject", "/v1/overrides/{id}/revoke"],
                                          handler: overrides.action)),
            (ApprovalRoutes.prefix, .init(methods: ["POST"], operation: .approvals,
                                          patterns: ["/v1/approvals/{id}/approve", "/v1/approvals/{id}/reject"], handler: approvals.action)),
        ], authentication: AuthStep(authorizer: runtime.authorizer), requests: requests)
        var configuration = HTTPServerConfiguration()
        configuration.host = options.host
        configuration.port = options.port
        configuration.threadPoolSize = options.threadPoolSize
        configuration.maxBodyBytes = deployment.maxBodyBytes
        configuration.connectionLimit = deployment.http.maxConnections
        configuration.connectionLimitPerClient = deployment.http.maxConnectionsPerClient
        configuration.connectionTimeoutSeconds = Int(deployment.http.idleTimeout.nanoseconds / 1_000_000_000)
        configuration.requestTimeout = .nanoseconds(deployment.http.requestTimeout.nanoseconds)
        configuration.connectionMemoryBytes = deployment.http.maxHeaderBytes
        configuration.tls = web.tls
        configuration.bodyTooLarge = { path in
            if path == "/v1/usage" { writer.noteRejected(reason: "too_large") }
        }
        server = HTTPServer(configuration: configuration, handler: router, logger: runtime.logger)
        // SIGHUP re-reads the web configuration too (and with it the certificate).
        if web.path != nil {
            runtime.hangup.add { [web] in web.reload() }
        }
        logger = runtime.logger
        address = options.host
    }

    /// Serves from the start of the group (`/-/healthy` answers during the restore) until its turn
    /// to stop, which comes first: requests in flight finish, new ones are refused.
    public var service: some Service { HTTPEdgeService(edge: self) }

    /// The port actually bound (useful with port 0), once the service runs.
    public var boundPort: Int { server.boundPort }
}

struct HTTPEdgeService: Service {
    let edge: HTTPEdge

    func run() async throws {
        try edge.server.start()
        edge.logger.info("listening", metadata: ["address": "\(edge.address):\(edge.server.boundPort)"])
        try? await gracefulShutdown()
        edge.logger.info("shutting down")
        await BlockingWork.run { [edge] in edge.server.stop() }
    }
}
