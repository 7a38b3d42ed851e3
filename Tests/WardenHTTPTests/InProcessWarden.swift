import Foundation
import Logging
import ServiceLifecycle
import TestSupport
import WardenHTTP
import WardenRuntime

/// A real ``WardenRuntime`` (configuration, SQLite store, ledger, writer, rule engine, audit log)
/// on a temporary rules directory, its services running in this process, and the router
/// ``HTTPEdge`` builds over it: route behaviour through the real wiring, without a socket.
///
/// The services run in a ``ServiceGroup`` as `tokenwarden serve` runs them, except that the HTTP
/// service only waits for shutdown: requests go straight to ``Router/handle(_:responder:)``.
/// Each test gets its own directory and database, so tests run in parallel.
final class InProcessWarden: Sendable {
    let directory: URL
    let runtime: WardenRuntime
    let router: Router
    private let group: ServiceGroup?
    private let running: Task<Void, any Error>?

    /// Prices with round numbers, so expected costs are easy to state exactly.
    static let pricing = """
        currency: USD
        models:
          - provider: openai
            model: gpt-4o
            prices: {per: million, input: "2.50", output: "10.00", cache_read: "1.25"}
          - provider: anthropic
            model: claude-sonnet-4
            prices: {per: million, input: "3.00", output: "15.00", cache_read: "0.30", cache_creation: "3.75"}
        """

    /// `config` is `tokenwarden.yaml`; `rules` maps rule file names to their text. With `start`
    /// false nothing runs: the ledger is never restored, so the server stays unready.
    init(config: String = "", rules: [String: String] = [:], start: Bool = true) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-routes-\(UUID().uuidString)")
        let rulesDirectory = directory.appendingPathComponent("rules")
        do {
            try FileManager.default.createDirectory(at: rulesDirectory.appendingPathComponent("pricing"), withIntermediateDirectories: true)
            try Self.pricing.write(to: rulesDirectory.appendingPathComponent("pricing/test.yaml"), atomically: true, encoding: .utf8)
            try config.write(to: rulesDirectory.appendingPathComponent("tokenwarden.yaml"), atomically: true, encoding: .utf8)
            for (name, text) in rules {
                try text.write(to: rulesDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            let options = ServeOptions(host: "127.0.0.1", port: 0, rulesDirectory: rulesDirectory.path,
                                       databasePath: directory.appendingPathComponent("data/tokenwarden.sqlite").path)
            runtime = try WardenRuntime(options: options, logger: quietLogger)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        router = try HTTPEdge(runtime: runtime).router
        guard start else {
            group = nil
            running = nil
            return
        }
        let group = ServiceGroup(configuration: .init(services: runtime.services(http: IdleHTTPService()), logger: quietLogger))
        self.group = group
        running = Task { try await group.run() }
        let readiness = runtime.readiness
        let ready = try await poll(for: .seconds(90), until: { readiness.isReady })
        if !ready {
            try? await stop()
            throw HarnessError("the runtime did not become ready within 90 s")
        }
    }

    /// Stops the services in the group's order (the store last, closed) and removes the directory.
    func stop() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let group, let running else {
            runtime.store.close()
            return
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    /// The router's answer to `request`, whenever it comes (ingest answers after the group
    /// commit), with a streamed body read to its end.
    func send(_ request: HTTPRequest) async throws -> RouteResponse {
        try await response(to: request, from: router)
    }

    func get(_ path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = []) async throws -> RouteResponse {
        try await send(HTTPRequest(method: "GET", path: path, query: query, headers: headers))
    }

    func post(_ path: String, json: String) async throws -> RouteResponse {
        try await post(path, body: json, contentType: "application/json")
    }

    func post(_ path: String, body: String, contentType: String?) async throws -> RouteResponse {
        let headers = contentType.map { [(name: "Content-Type", value: $0)] } ?? []
        return try await send(HTTPRequest(method: "POST", path: path, headers: headers, body: Array(body.utf8)))
    }

    func delete(_ path: String) async throws -> RouteResponse {
        try await send(HTTPRequest(method: "DELETE", path: path))
    }

    /// Writes (or replaces) a rule file, for a reload to pick up.
    func writeRuleFile(_ name: String, _ text: String) throws {
        try text.write(to: directory.appendingPathComponent("rules/\(name)"), atomically: true, encoding: .utf8)
    }
}

/// Runs `body` against a fresh started ``InProcessWarden`` and always stops it.
///
/// At most two run at once: every test of the process shares Swift's cooperative threads (two on
/// two cores) and GCD's, and dozens of runtimes starting together, beside end-to-end tests that
/// block those threads while they wait for child processes, starved each other past any timeout.
func withWarden(config: String = "", rules: [String: String] = [:], _ body: (InProcessWarden) async throws -> Void) async throws {
    await RuntimeSlots.shared.acquire()
    let warden: InProcessWarden
    do {
        warden = try await InProcessWarden(config: config, rules: rules)
    } catch {
        await RuntimeSlots.shared.release()
        throw error
    }
    do {
        try await body(warden)
    } catch {
        try? await warden.stop()
        await RuntimeSlots.shared.release()
        throw error
    }
    let stopped: Result<Void, any Error> = await Result { try await warden.stop() }
    await RuntimeSlots.shared.release()
    try stopped.get()
}

/// A counting semaphore for in-process runtimes (see ``withWarden(config:rules:_:)``).
actor RuntimeSlots {
    static let shared = RuntimeSlots(2)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// Stands in for the HTTP edge's service: the group runs (and stops) as with a server, but
/// nothing listens.
private struct IdleHTTPService: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
