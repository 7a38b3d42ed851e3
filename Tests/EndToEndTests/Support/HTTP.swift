import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client over URLSession for the tests.
enum HTTP {
    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body) }
        func jsonObject() throws -> [String: Any] {
            guard let object = try json() as? [String: Any] else { throw TestFailure("not a JSON object: \(text)") }
            return object
        }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = 60
        configuration.httpMaximumConnectionsPerHost = 64
        return URLSession(configuration: configuration)
    }()

    /// For readiness polls only: a session (and so a connection pool and transfer thread) of its
    /// own, so a server's start is not judged by a queue of other suites' requests, which on a
    /// loaded CI machine kept 2-second polls from ever reaching a server that was up.
    static let probeSession: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = 5
        return URLSession(configuration: configuration)
    }()

    /// The status of `GET url` through ``probeSession``, or the error that prevented one.
    static func probe(_ url: String, timeout: TimeInterval = 5) async -> Result<Int, any Error> {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = timeout
        do {
            let (_, response) = try await probeSession.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP response") }
            return .success(http.statusCode)
        } catch {
            return .failure(error)
        }
    }

    static func request(
        _ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:], timeout: TimeInterval = 60
    ) async throws -> Response {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = timeout
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestFailure("not an HTTP response") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields { headers["\(name)"] = "\(value)" }
        return Response(status: http.statusCode, headers: headers, body: data)
    }

    static func get(_ url: String, headers: [String: String] = [:]) async throws -> Response {
        try await request("GET", url, headers: headers)
    }

    static func postJSON(_ url: String, _ json: String) async throws -> Response {
        try await request("POST", url, body: Data(json.utf8), headers: ["Content-Type": "application/json"])
    }
}
