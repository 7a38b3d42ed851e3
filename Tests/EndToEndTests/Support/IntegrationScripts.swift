import Foundation

/// The Python programs under `Tests/Integrations/` (the OpenTelemetry SDK's exporter, LiteLLM's
/// own logging), run for real against a daemon; `make test` installs the packages they import.
enum IntegrationScripts {
    static var directory: URL {
        // <root>/Tests/EndToEndTests/Support/IntegrationScripts.swift
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Integrations")
    }

    /// The repository's root, for tests that run the examples in `docs/`.
    static var repositoryRoot: URL { directory.deletingLastPathComponent().deletingLastPathComponent() }

    /// Runs `script` and returns the JSON objects it printed, one per line (the packages' own
    /// chatter, on either stream, is skipped). A non-zero exit fails with everything it printed.
    /// On a thread of its own: importing LiteLLM takes seconds, which must not hold one of the
    /// few threads Swift concurrency has (two on a 2-core machine) that other tests need.
    static func run(_ script: String, _ arguments: [String]) async throws -> [[String: Any]] {
        let result = try await Tools.runOnOwnThread(try Tools.python(), [directory.appendingPathComponent(script).path] + arguments)
        guard result.status == 0 else { throw TestFailure("\(script) exited with \(result.status):\n\(result.output)") }
        return result.output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// A JSON text of `value` for a script's argument.
    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The events `GET /v1/usage` returns, by id.
    static func recordedEvents(_ warden: WardenProcess, key: String? = nil) async throws -> [String: [String: Any]] {
        let headers = key.map { ["Authorization": "Bearer \($0)"] } ?? [:]
        let export = try await HTTP.get("\(warden.baseURL)/v1/usage?limit=1000", headers: headers).jsonObject()
        let events = export["events"] as? [[String: Any]] ?? []
        return Dictionary(events.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }
}
