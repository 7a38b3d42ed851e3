import Foundation

/// curl as a child process: the tests' HTTPS client, since curl takes a CA file, a client
/// certificate and basic-auth credentials per request where URLSession would need trust set up.
enum Curl {
    struct Result {
        /// curl's exit status: 0 when it got an HTTP response (any status), non-zero when the
        /// connection or the TLS handshake failed.
        var exit: Int32
        /// 0 when there was no HTTP response.
        var status: Int
        var headers: [String: String]
        var body: String
        var output: String

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// `curl -sS <arguments> URL` with a 10 s limit.
    static func run(_ url: String, _ arguments: [String] = []) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tw-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let bodyPath = scratch.appendingPathComponent("body").path
        let headersPath = scratch.appendingPathComponent("headers").path
        let result = try Tools.run("curl", ["-sS", "--max-time", "10", "-o", bodyPath, "-D", headersPath,
                                            "-w", "%{http_code}"] + arguments + [url])
        let status = Int(result.output.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces).suffix(3) ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in ((try? String(contentsOfFile: headersPath, encoding: .utf8)) ?? "").split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = (try? String(contentsOfFile: bodyPath, encoding: .utf8)) ?? ""
        return Result(exit: result.status, status: status, headers: headers, body: body, output: result.output)
    }
}
