import Foundation
import WardenHTTP

/// An ``HTTPResponse`` as a client would see it: a streamed body read to its end through
/// ``HTTPBodyStream/read(into:)``, as libmicrohttpd reads it.
struct RouteResponse {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]
    /// Whether the body came from a stream (sent chunked) rather than whole.
    let streamed: Bool

    init(_ response: HTTPResponse) throws {
        status = response.status
        headers = response.headers
        if let stream = response.stream {
            streamed = true
            var body: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16 << 10)
            while true {
                let count = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
                if count == HTTPBodyStreamFailure.code { throw HarnessError("the body stream failed after \(body.count) bytes") }
                if count == 0 { break }
                body.append(contentsOf: buffer[..<count])
            }
            self.body = body
        } else {
            streamed = false
            body = response.body
        }
    }

    /// The first header with this name, compared case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object; throws when it is not one.
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HarnessError("the body is not a JSON object: \(text)")
        }
        return object
    }

    /// The CSV body's lines, without their CRLF ends.
    var csvLines: [String] {
        text.components(separatedBy: "\r\n").dropLast(text.hasSuffix("\r\n") ? 1 : 0).map { $0 }
    }
}

/// `handler`'s answer to `request`, awaited however late it comes.
func response(to request: HTTPRequest, from handler: some HTTPHandler) async throws -> RouteResponse {
    let response = await withCheckedContinuation { continuation in
        handler.handle(request, responder: HTTPResponder { continuation.resume(returning: $0) })
    }
    return try RouteResponse(response)
}
