import Foundation
import Logging
import ServiceLifecycle
import WardenHTTP
import WardenRuntime

/// One real server per process, without a socket: a ``WardenRuntime`` on a fresh temporary
/// directory (rules, prices, SQLite database), its services running in a ``ServiceGroup`` as
/// `serve` runs them, and the ``HTTPEdge``'s router, which requests are handed to in process.
/// Started on first use; the directory is removed when the process exits.
final class FuzzServer: Sendable {
    let runtime: WardenRuntime
    let router: Router

    static let shared: FuzzServer = {
        do {
            return try FuzzServer()
        } catch {
            fatalError("the fuzz server does not start: \(error)")
        }
    }()

    /// Where the runtime's files live, for the exit handler (set once, before the handler is registered).
    nonisolated(unsafe) private static var directory: String?

    private init() throws {
        var template = Array("\(NSTemporaryDirectory())/tokenwarden-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        let directory = String(cString: made)
        Self.directory = directory
        atexit { if let directory = FuzzServer.directory { try? FileManager.default.removeItem(atPath: directory) } }
        let rules = directory + "/rules"
        try FileManager.default.createDirectory(atPath: rules + "/pricing", withIntermediateDirectories: true)
        try Self.settings.write(toFile: rules + "/tokenwarden.yaml", atomically: true, encoding: .utf8)
        try Self.prices.write(toFile: rules + "/pricing/catalog.yaml", atomically: true, encoding: .utf8)
        try EngineRules.primaryText.write(toFile: rules + "/rules.yaml", atomically: true, encoding: .utf8)
        let logger = Logger(label: "tokenwarden.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let options = ServeOptions(host: "127.0.0.1", port: 0, rulesDirectory: rules, databasePath: directory + "/data/tokenwarden.sqlite",
                                   durability: .processCrash, threadPoolSize: 1)
        runtime = try WardenRuntime(options: options, logger: logger)
        let edge = try HTTPEdge(runtime: runtime)
        router = edge.router
        let group = ServiceGroup(configuration: .init(services: runtime.services(http: NoListener()), logger: logger))
        // On a queue of its own, not Swift concurrency's shared threads: replayed inside the test
        // suite, those two threads can be held for minutes by CPU-bound or blocking tests, and
        // the group would not get to start.
        // Some of the runtime's services still start tasks of their own on the shared threads, so
        // the wait is generous too: inside the test suite this thread is one of its own, and the
        // shared threads come free once the blocking tests holding them end.
        Task(executorPreference: QueueExecutor(label: "tokenwarden.fuzz-server")) { try? await group.run() }
        let deadline = ContinuousClock.now + .seconds(600)
        while !runtime.readiness.isReady {
            guard ContinuousClock.now < deadline else { fatalError("the fuzz server did not become ready within ten minutes") }
            usleep(1_000)
        }
    }

    /// Runs a task and its children on a concurrent dispatch queue of its own (the services block
    /// now and then, and must not hold each other up).
    final class QueueExecutor: TaskExecutor {
        let queue: DispatchQueue
        init(label: String) { queue = DispatchQueue(label: label, attributes: .concurrent) }

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// Stands in for the HTTP edge's service: requests come through the router, not a socket.
    struct NoListener: Service {
        func run() async throws { try? await gracefulShutdown() }
    }

    static let settings = """
        attribution:
          extra_keys: [region]
        ingest:
          max_body_bytes: 1MiB
          unknown_models: reject
        reservations:
          ttl: 1m
          max_active: 1000
        """

    static let prices = """
        currency: USD
        models:
          - provider: openai
            model: gpt-4o
            prices: {per: million, input: "2.50", output: "10.00", cache_read: "1.25"}
          - provider: anthropic
            model: claude-opus
            prices: {per: million, input: "15", output: "75"}
            tiers:
              - {above_input_tokens: 200000, input: "30", output: "150"}
        aliases:
          - {alias: gpt-4o-latest, provider: openai, model: gpt-4o}
        """
}
