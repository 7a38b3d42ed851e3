import WardenCore
import WardenFormats
import WardenMetrics
import WardenRuntime
import WardenStore

/// `POST /v1/traces`: an OTLP/HTTP trace receiver that keeps only what costs money. Each span
/// with GenAI usage attributes becomes a usage event `otlp:<trace id>-<span id>` at the span's
/// end (``GenAISpanReader``); other spans are ignored.
///
/// OTLP's rules, not `/v1/usage`'s: the answer is in the request's encoding (protobuf or JSON);
/// a span that cannot be recorded (unreadable usage, an unknown model, outside the key's scope)
/// is rejected alone, in the answer's partial success, and the other spans are recorded. Only a
/// body that is not an export at all is a 400 (a `google.rpc.Status`), and then nothing is.
final class OTLPTraceRoute: Sendable {
    let reader: GenAISpanReader
    let ingest: IntegrationIngest
    let maxBodyBytes: Int

    init(reader: GenAISpanReader, ingest: IntegrationIngest, maxBodyBytes: Int) {
        self.reader = reader
        self.ingest = ingest
        self.maxBodyBytes = maxBodyBytes
    }

    static let path = "/v1/traces"
    /// Most rejected spans named in one partial success; the count covers them all.
    static let maxNamedRejections = 100

    func handle(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let counts = ingest.counts
        let contentType = request.header("Content-Type")
        let mediaType = contentType.map { String($0.split(separator: ";").first ?? "").trimmingWhitespace().lowercased() }
        let json = mediaType == "application/json"
        guard json || mediaType == "application/x-protobuf" else {
            return responder.send(Self.status(415, code: 3, "Content-Type must be application/x-protobuf or application/json, not \(contentType ?? "absent")",
                                              json: true))
        }
        guard ingest.readiness.isReady else {
            var response = Self.status(503, code: 14, ingest.readiness.unavailableReason, json: json)
            response.headers.append((name: "Retry-After", value: "1"))
            return responder.send(response)
        }
        let body: [UInt8]
        do {
            body = try RequestBodyDecoding.decode(request.body, contentEncoding: request.header("Content-Encoding"), limit: maxBodyBytes)
        } catch {
            counts.count(.otlp, .rejected)
            switch error {
            case .unsupported(let encoding):
                return responder.send(Self.status(415, code: 3, "Content-Encoding \(encoding) is not supported (use gzip or none)", json: json))
            case .tooLarge(let limit):
                return responder.send(Self.status(413, code: 8, "the inflated body is larger than \(limit) bytes (ingest.max_body_bytes)", json: json))
            case .corrupt(let reason):
                return responder.send(Self.status(400, code: 3, "the gzip body cannot be inflated: \(reason)", json: json))
            }
        }
        let export: OTLPTraceExport
        do {
            export = json ? try OTLPTraceExport(json: body) : try OTLPTraceExport(protobuf: body)
        } catch {
            counts.count(.otlp, .rejected)
            return responder.send(Self.status(400, code: 3, error.message, json: json))
        }
        var spans = reader.read(export)
        counts.count(.otlp, .ignored, spans.ignored)
        var rejected = spans.rejected
        var keep = [Bool](repeating: true, count: spans.events.count)
        for problem in ingest.bind(&spans.events, to: caller) where keep[problem.index] {
            keep[problem.index] = false
            rejected.append("\(spans.describe(problem.index)): \(problem.field): \(problem.message)")
        }
        let receivedAt = ingest.clock.now()
        let pricer = ingest.pricing.pricer
        var priced: [PricedEvent] = []
        priced.reserveCapacity(spans.events.count)
        let candidates = spans.events.indices.filter { keep[$0] }
        switch pricer.price(candidates.map { spans.events[$0] }, receivedAt: receivedAt) {
        case .success(let all):
            priced = all
        case .failure(let unknown):
            let unpriced = Set(unknown.errors.map(\.index))
            for error in unknown.errors {
                rejected.append("\(spans.describe(candidates[error.index])): \(error.message)")
            }
            let known = candidates.indices.filter { !unpriced.contains($0) }.map { spans.events[candidates[$0]] }
            if case .success(let all) = pricer.price(known, receivedAt: receivedAt) { priced = all }
        }
        counts.count(.otlp, .rejected, rejected.count)
        let message = Self.errorMessage(rejected)
        guard !priced.isEmpty else {
            return responder.send(Self.export(rejected: rejected.count, message: message, json: json))
        }
        let rejectedCount = rejected.count
        ingest.record(priced, receivedAt: receivedAt, source: .otlp) { result in
            switch result {
            case .success:
                responder.send(Self.export(rejected: rejectedCount, message: message, json: json))
            case .failure(let error):
                var response = Self.status(503, code: 14, "spans were not recorded: \(error.message)", json: json)
                response.headers.append((name: "Retry-After", value: "1"))
                responder.send(response)
            }
        }
    }

    /// Every rejected span up to ``maxNamedRejections``, then how many more.
    static func errorMessage(_ rejected: [String]) -> String {
        guard rejected.count > maxNamedRejections else { return rejected.joined(separator: "; ") }
        return rejected.prefix(maxNamedRejections).joined(separator: "; ") + "; and \(rejected.count - maxNamedRejections) more"
    }

    static func export(rejected: Int, message: String, json: Bool) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [contentType(json: json)],
                     body: OTLPResponseBody.export(rejectedSpans: rejected, errorMessage: message, json: json))
    }

    static func status(_ status: Int, code: Int32, _ message: String, json: Bool) -> HTTPResponse {
        HTTPResponse(status: status, headers: [contentType(json: json)], body: OTLPResponseBody.status(code: code, message: message, json: json))
    }

    static func contentType(json: Bool) -> (name: String, value: String) {
        (name: "Content-Type", value: json ? "application/json" : "application/x-protobuf")
    }
}
