import Foundation
import Synchronization
import WardenCore
import WardenFormats
import WardenHTTP
import WardenMetrics

/// Requests below libmicrohttpd: the bytes are read as a request (see ``FuzzedHTTPRequest``),
/// its query and headers go through the parsing layers every route uses (single-valued query
/// parameters, content negotiation, gzip, the usage body format), and the request is handed to
/// the router of a real server (``FuzzServer``). Every request must get exactly one answer,
/// never a 500; header lines must be single lines, a JSON error body JSON, and a streamed body
/// must read to its end (up to 1 MiB is read).
enum HTTPRequestFuzzing {
    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        let request = FuzzedHTTPRequest.parse(bytes)
        _ = try? request.singleValuedQuery()
        for (name, _) in request.query { _ = request.queryValue(name) }
        _ = ExpositionFormat.negotiate(accept: request.header("Accept"))
        _ = Gzip.accepts(acceptEncoding: request.header("Accept-Encoding"))
        _ = UsageBodyFormat.from(contentType: request.header("Content-Type"))

        let answer = Answer()
        FuzzServer.shared.router.handle(request, responder: HTTPResponder { answer.deliver($0) })
        guard let response = answer.wait(seconds: 30) else {
            throw InvariantViolation("no response within 30 s to \(request.method) \(request.path)")
        }
        try require((100...599).contains(response.status), "status \(response.status)")
        try require(response.status != 500, "500 for \(request.method) \(request.path): \(String(decoding: response.body, as: UTF8.self))")
        for (name, value) in response.headers {
            try require(!(name + value).utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }),
                        "a line break in the header \(name.debugDescription): \(value.debugDescription)")
        }
        if let stream = response.stream {
            try drain(stream)
        } else if response.headers.contains(where: { $0.name == "Content-Type" && $0.value == "application/json" }) {
            try require((try? JSONDocument(parsing: response.body)) != nil,
                        "a JSON response that is not JSON: \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    static func drain(_ stream: any HTTPBodyStream) throws(InvariantViolation) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var total = 0
        while total < 1 << 20 {
            let count = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            if count == 0 { return }
            try require(count != HTTPBodyStreamFailure.code, "a streamed body failed")
            try require(count > 0 && count <= buffer.count, "a stream read returned \(count)")
            total += count
        }
    }

    /// The one response a request gets, handed over from whichever thread sends it.
    final class Answer: Sendable {
        private let response = Mutex<HTTPResponse?>(nil)
        private let arrived = DispatchSemaphore(value: 0)

        func deliver(_ response: HTTPResponse) {
            self.response.withLock { $0 = response }
            arrived.signal()
        }

        func wait(seconds: Int) -> HTTPResponse? {
            guard arrived.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
            return response.withLock { $0 }
        }
    }
}
