import Logging
import WardenCore
import WardenFormats
import WardenMetrics
import WardenRuntime
import WardenStore

/// `POST /v1/integrations/litellm`: the LiteLLM proxy's generic API callback posts its standard
/// logging payloads here (one object, an array, or NDJSON), and each successful call is recorded
/// as a usage event `litellm:<id>`, priced from TokenWarden's catalog.
///
/// All-or-nothing like `POST /v1/usage`: one invalid payload, unknown model or scope conflict
/// rejects the whole body, naming the field and the payload's index, and records nothing.
/// LiteLLM's own `response_cost` (a float from its cost map) is never the amount; it is logged
/// beside the exact cost (`litellm cost differs` at notice level when they disagree by more than 1%).
final class LiteLLMRoute: Sendable {
    let decoder: LiteLLMPayloadDecoder
    let ingest: IntegrationIngest
    let logger: Logger

    init(decoder: LiteLLMPayloadDecoder, ingest: IntegrationIngest, logger: Logger) {
        self.decoder = decoder
        self.ingest = ingest
        self.logger = logger
    }

    static let path = "/v1/integrations/litellm"

    func handle(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let counts = ingest.counts
        guard ingest.readiness.isReady else {
            var response = HTTPError(status: 503, message: ingest.readiness.unavailableReason).response
            response.headers.append((name: "Retry-After", value: "1"))
            return responder.send(response)
        }
        let contentType = request.header("Content-Type")
        guard UsageBodyFormat.from(contentType: contentType) != nil else {
            counts.count(.litellm, .rejected)
            return responder.send(HTTPError(
                status: 415, message: "Content-Type must be application/json or application/x-ndjson, not \(contentType ?? "absent")").response)
        }
        let records: [LiteLLMRecord]
        do {
            records = try decoder.decode(request.body)
        } catch {
            return responder.send(rejection(for: error))
        }
        var events: [UsageEvent] = []
        var eventRecords: [Int] = []  // the payload index of each event, for messages
        var ignored: [(id: String, reason: String)] = []
        for (index, record) in records.enumerated() {
            switch record.kind {
            case .usage(let event):
                events.append(event)
                eventRecords.append(index)
            case .ignored(let id, let reason):
                ignored.append((id, reason))
            }
        }
        let problems = ingest.bind(&events, to: caller)
        if !problems.isEmpty {
            counts.count(.litellm, .rejected, records.count)
            if problems.contains(where: \.isConflict) {
                return responder.send(AuthStep.scopeConflict(problems.compactMap { problem -> (index: Int?, label: Attribution.Label)? in
                    problem.conflict.map { (index: eventRecords[problem.index], label: $0) }
                }))
            }
            return responder.send(.json(400, UsageIngestRoute.errorsBody(problems.map {
                UsageValidationError(index: eventRecords[$0.index], field: $0.field, message: $0.message)
            })))
        }
        let receivedAt = ingest.clock.now()
        let priced: [PricedEvent]
        switch ingest.pricing.pricer.price(events, receivedAt: receivedAt) {
        case .failure(let unknown):
            counts.count(.litellm, .rejected, records.count)
            return responder.send(.json(422, UsageIngestRoute.errorsBody(unknown.errors.map {
                UsageValidationError(index: eventRecords[$0.index], field: $0.field, message: $0.message)
            })))
        case .success(let result):
            priced = result
        }
        counts.count(.litellm, .ignored, ignored.count)
        guard !priced.isEmpty else {
            return responder.send(.json(200, Self.body([], ignored: ignored)))
        }
        compare(priced, with: records)
        ingest.record(priced, receivedAt: receivedAt, source: .litellm) { [ignored] result in
            switch result {
            case .success(let outcomes):
                responder.send(.json(200, Self.body(outcomes, ignored: ignored)))
            case .failure(let error):
                responder.send(UsageIngestRoute.notRecorded(error))
            }
        }
    }

    private func rejection(for error: UsageDecodeError) -> HTTPResponse {
        switch error {
        case .malformed(let offset, let line, let message):
            ingest.counts.count(.litellm, .rejected)
            return UsageIngestRoute.malformedBody(offset: offset, line: line, message: message)
        case .invalid(let errors):
            ingest.counts.count(.litellm, .rejected, Set(errors.map(\.index)).count)
            return .json(400, UsageIngestRoute.errorsBody(errors))
        case .empty:
            return HTTPError(status: 400, message: "the body contains no LiteLLM payloads").response
        }
    }

    /// Logs LiteLLM's float `response_cost` beside the exact cost of each event: at debug level
    /// always, at notice level when they differ by more than 1% (a stale LiteLLM cost map, or a
    /// catalog entry to check).
    private func compare(_ priced: [PricedEvent], with records: [LiteLLMRecord]) {
        let reported = Dictionary(records.compactMap { record -> (String, String)? in
            guard case .usage(let event) = record.kind, let cost = record.reportedCost else { return nil }
            return (event.id, cost)
        }, uniquingKeysWith: { first, _ in first })
        let logsEvery = logger.logLevel <= .debug
        for event in priced {
            guard let text = reported[event.event.id], let theirs = Double(text) else { continue }
            let ours = event.cost.approximateDouble
            let differs = abs(theirs - ours) > max(abs(ours), abs(theirs)) * 0.01
            // The metadata is built only for a line that is written: this runs for every payload.
            guard differs || logsEvery else { continue }
            let metadata: Logger.Metadata = ["id": "\(event.event.id)", "cost": "\(event.cost.exactDecimal)",
                                             "currency": "\(event.currency)", "litellm_response_cost": "\(text)"]
            if differs {
                logger.notice("litellm cost differs", metadata: metadata)
            } else {
                logger.debug("litellm cost", metadata: metadata)
            }
        }
    }

    /// `{"results":[{id, cost, currency, duplicate}], "ignored":[{id, reason}]}`.
    static func body(_ outcomes: [IngestOutcome], ignored: [(id: String, reason: String)]) -> [UInt8] {
        var body = JSONWriter(reservingCapacity: 48 + outcomes.count * 96)
        body.beginObject()
        UsageIngestRoute.writeResults(outcomes, into: &body)
        body.key("ignored")
        body.beginArray()
        for (id, reason) in ignored {
            body.beginObject()
            body.key("id")
            body.string(id)
            body.key("reason")
            body.string(reason)
            body.endObject()
        }
        body.endArray()
        body.endObject()
        return body.bytes
    }
}
