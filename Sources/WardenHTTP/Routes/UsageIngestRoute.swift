import Logging
import WardenCore
import WardenRuntime
import WardenFormats
import WardenMetrics
import WardenStore

/// `POST /v1/usage`: decode → price → group commit → answer with each event's exact cost.
///
/// The 200 is sent after the commit (from the writer's acknowledgement thread) through the responder, so the
/// libmicrohttpd worker that received the request is free while the batch waits for SQLite.
/// Everything that can be done before the commit (the response body, the rows) is done on the
/// request thread.
/// A batch is all-or-nothing: any invalid event or unknown model rejects the whole body.
final class UsageIngestRoute: Sendable {
    let decoder: UsageEventDecoder
    /// The prices in force; read once per request, so a reload never splits a batch.
    let pricing: LivePricing
    let writer: UsageWriter
    let readiness: Readiness
    let clock: any WallClock
    let duration: Histogram
    let logger: Logger
    /// The rule engine's view of usage: events newly recorded (duplicates excluded), once durable.
    let recorded: @Sendable ([PricedEvent]) -> Void
    /// Where a body refused for contradicting its key's scope is counted (`forbidden`).
    let authFailures: AuthFailureCounts

    init(decoder: UsageEventDecoder, pricing: LivePricing, writer: UsageWriter, readiness: Readiness,
         clock: any WallClock, duration: Histogram, logger: Logger, authFailures: AuthFailureCounts = AuthFailureCounts(),
         recorded: @escaping @Sendable ([PricedEvent]) -> Void = { _ in }) {
        self.decoder = decoder
        self.pricing = pricing
        self.writer = writer
        self.readiness = readiness
        self.clock = clock
        self.duration = duration
        self.logger = logger
        self.recorded = recorded
        self.authFailures = authFailures
    }

    /// Reasons under which `tokenwarden_usage_events_rejected_total` counts events; exposed at 0
    /// from the start so `rate()` works before the first rejection.
    static let rejectionReasons = ["malformed", "invalid", "unknown_model", "unsupported_media_type", "too_large", "unavailable",
                                   "forbidden"]

    func handle(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let started = ContinuousClock.now
        let respond: @Sendable (HTTPResponse) -> Void = { [duration] response in
            responder.send(response)
            duration.observe(ContinuousClock.now - started)
        }
        guard readiness.isReady else {
            writer.noteRejected(reason: "unavailable")
            var response = HTTPError(status: 503, message: readiness.unavailableReason).response
            response.headers.append((name: "Retry-After", value: "1"))
            return respond(response)
        }
        guard let format = UsageBodyFormat.from(contentType: request.header("Content-Type")) else {
            writer.noteRejected(reason: "unsupported_media_type")
            return respond(HTTPError(
                status: 415,
                message: "Content-Type must be application/json or application/x-ndjson, not \(request.header("Content-Type") ?? "absent")").response)
        }
        var events: [UsageEvent]
        do {
            events = try decoder.decode(request.body, format: format)
        } catch {
            return respond(rejection(for: error))
        }
        if caller.isScoped, let refusal = bind(&events, to: caller) { return respond(refusal) }
        let receivedAt = clock.now()
        switch pricing.pricer.price(events, receivedAt: receivedAt) {
        case .failure(let unknown):
            writer.noteRejected(reason: "unknown_model", count: events.count)
            respond(.json(422, Self.errorsBody(unknown.errors)))
        case .success(let priced):
            // The answer for the usual case, every event new, is built here on the request thread;
            // the writer thread, which bounds ingest, then only hands it over.
            let allNew = Self.resultsBody(priced.map {
                IngestOutcome(id: $0.event.id, cost: $0.cost, currency: $0.currency, duplicate: false)
            })
            writer.submit(priced, receivedAt: receivedAt) { [recorded, writer] result in
                switch result {
                case .success(let outcomes):
                    let anyDuplicate = outcomes.contains(where: \.duplicate)
                    // Budgets see the usage before the client does, so a check made right after
                    // the 200 already counts it.
                    recorded(anyDuplicate ? zip(priced, outcomes).filter { !$0.1.duplicate }.map(\.0) : priced)
                    respond(.json(200, anyDuplicate ? Self.resultsBody(outcomes) : allNew))
                case .failure(let error):
                    writer.noteRejected(reason: "unavailable", count: priced.count)
                    respond(Self.notRecorded(error))
                }
            }
        }
    }

    /// Binds every event to the caller's scope (``APIKey/bind(_:)``): a missing label is filled
    /// in, a contradicted one refuses the whole body with 403, and an attribution the filled-in
    /// labels take past `ingest.max_attribution_bytes` with 400 — before anything is priced.
    private func bind(_ events: inout [UsageEvent], to caller: APICaller) -> HTTPResponse? {
        let problems = caller.bind(&events, maxAttributionBytes: decoder.maxAttributionBytes)
        if problems.contains(where: \.isConflict) {
            let conflicts = problems.compactMap { problem in problem.conflict.map { (index: Optional(problem.index), label: $0) } }
            writer.noteRejected(reason: "forbidden", count: Set(conflicts.compactMap(\.index)).count)
            authFailures.count(.forbidden)
            return AuthStep.scopeConflict(conflicts)
        }
        if !problems.isEmpty {
            writer.noteRejected(reason: "invalid", count: problems.count)
            return .json(400, Self.errorsBody(problems.map { UsageValidationError(index: $0.index, field: $0.field, message: $0.message) }))
        }
        return nil
    }

    private func rejection(for error: UsageDecodeError) -> HTTPResponse {
        switch error {
        case .malformed(let offset, let line, let message):
            writer.noteRejected(reason: "malformed")
            return Self.malformedBody(offset: offset, line: line, message: message)
        case .invalid(let errors):
            writer.noteRejected(reason: "invalid", count: Set(errors.map(\.index)).count)
            return .json(400, Self.errorsBody(errors))
        case .empty:
            writer.noteRejected(reason: "malformed")
            return HTTPError(status: 400, message: "the body contains no usage events").response
        }
    }

    /// 400 for a body that is not JSON (or NDJSON, naming the line): `{"error", "offset", "line"}`.
    static func malformedBody(offset: Int, line: Int?, message: String) -> HTTPResponse {
        var body = JSONWriter()
        body.beginObject()
        body.key("error")
        body.string(line.map { "malformed body at byte \(offset) (line \($0)): \(message)" } ?? "malformed JSON at byte \(offset): \(message)")
        body.key("offset")
        body.integer(offset)
        if let line {
            body.key("line")
            body.integer(line)
        }
        body.endObject()
        return .json(400, body.bytes)
    }

    /// 503 with `Retry-After` when the group commit failed: nothing of the body was recorded.
    static func notRecorded(_ error: StoreError) -> HTTPResponse {
        var response = HTTPError(status: 503, message: "usage was not recorded: \(error.message)").response
        response.headers.append((name: "Retry-After", value: "1"))
        return response
    }

    static func resultsBody(_ outcomes: [IngestOutcome]) -> [UInt8] {
        var body = JSONWriter(reservingCapacity: 32 + outcomes.count * 96)
        body.beginObject()
        writeResults(outcomes, into: &body)
        body.endObject()
        return body.bytes
    }

    /// `"results":[{id, cost, currency, duplicate}]`.
    static func writeResults(_ outcomes: [IngestOutcome], into body: inout JSONWriter) {
        body.key("results")
        body.beginArray()
        for outcome in outcomes {
            body.beginObject()
            body.key("id")
            body.string(outcome.id)
            body.key("cost")
            body.string(outcome.cost.exactDecimal)
            body.key("currency")
            body.string(outcome.currency)
            body.key("duplicate")
            body.bool(outcome.duplicate)
            body.endObject()
        }
        body.endArray()
    }

    static func errorsBody(_ errors: [UsageValidationError]) -> [UInt8] {
        var body = JSONWriter()
        body.beginObject()
        body.key("errors")
        body.beginArray()
        for error in errors {
            body.beginObject()
            body.key("index")
            body.integer(error.index)
            body.key("field")
            body.string(error.field)
            body.key("message")
            body.string(error.message)
            body.endObject()
        }
        body.endArray()
        body.endObject()
        return body.bytes
    }
}
