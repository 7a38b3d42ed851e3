import WardenCore
import WardenMetrics

/// `POST /v1/check`: the pre-flight check an agent makes before an expensive call.
///
/// Answers 200 for allow and warn (with a reservation when a budget or quota matched), 429 for
/// throttle with `Retry-After`, 403 for deny and require_approval. `RateLimit-Policy` and
/// `RateLimit` (draft-ietf-httpapi-ratelimit-headers) describe every quota that applied.
final class CheckRoute: Sendable {
    let decoder: CheckRequestDecoder
    let catalog: PriceCatalog
    let unknownModels: DeploymentConfig.UnknownModelPolicy
    let host: RuleHost
    let readiness: Readiness
    let clock: any WallClock

    init(decoder: CheckRequestDecoder, catalog: PriceCatalog, unknownModels: DeploymentConfig.UnknownModelPolicy,
         host: RuleHost, readiness: Readiness, clock: any WallClock) {
        self.decoder = decoder
        self.catalog = catalog
        self.unknownModels = unknownModels
        self.host = host
        self.readiness = readiness
        self.clock = clock
    }

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        guard readiness.isReady else {
            var response = HTTPError(status: 503, message: "budgets are still being restored; retry shortly").response
            response.headers.append((name: "Retry-After", value: "1"))
            return responder.send(response)
        }
        guard UsageBodyFormat.from(contentType: request.header("Content-Type")) == .json else {
            return responder.send(HTTPError(status: 415, message: "Content-Type must be application/json, not \(request.header("Content-Type") ?? "absent")").response)
        }
        var decoded: CheckRequestDecoder.Decoded
        switch decoder.decode(request.body) {
        case .failure(.malformed(let error)):
            var body = JSONWriter()
            body.beginObject()
            body.key("error"); body.string("malformed JSON at byte \(error.offset): \(error.message)")
            body.key("offset"); body.integer(error.offset)
            body.endObject()
            return responder.send(.json(400, body.bytes))
        case .failure(.invalid(let errors)):
            var body = JSONWriter()
            body.beginObject()
            body.key("errors")
            body.beginArray()
            for error in errors {
                body.beginObject()
                body.key("field"); body.string(error.field)
                body.key("message"); body.string(error.message)
                body.endObject()
            }
            body.endArray()
            body.endObject()
            return responder.send(.json(400, body.bytes))
        case .success(let value):
            decoded = value
        }
        if !decoded.hasExplicitCost {
            if !decoded.request.priceEstimate(with: catalog, at: clock.now()), unknownModels == .reject {
                return responder.send(HTTPError(status: 422, message: decoded.request.unknownModelMessage).response)
            }
        }
        let outcome = host.check(decoded.request)
        var response = HTTPResponse.json(outcome.decision.httpStatus, Self.body(outcome, estimate: decoded.request))
        if !outcome.quotaStates.isEmpty {
            response.headers.append((name: "RateLimit-Policy", value: outcome.rateLimitPolicyField))
            response.headers.append((name: "RateLimit", value: outcome.rateLimitField))
        }
        if outcome.decision == .throttle {
            response.headers.append((name: "Retry-After", value: String(RateLimitHeaders.retryAfterSeconds(outcome.retryAfter ?? 1_000_000_000))))
        }
        responder.send(response)
    }

    static func body(_ outcome: CheckOutcome, estimate: CheckRequest) -> [UInt8] {
        var body = JSONWriter(reservingCapacity: 256 + outcome.reasons.count * 192)
        body.beginObject()
        body.key(literal: "decision"); body.string(outcome.decision.rawValue)
        body.key(literal: "reasons")
        body.beginArray()
        for reason in outcome.reasons {
            body.beginObject()
            body.key(literal: "rule"); body.string(reason.rule)
            body.key(literal: "kind"); body.string(reason.kind.rawValue)
            body.key(literal: "decision"); body.string(reason.decision.rawValue)
            body.key(literal: "message"); body.string(reason.message)
            if let figures = reason.figures {
                body.key(literal: "usage_ratio"); body.number(figures.usageRatio)
                body.key(literal: "remaining"); body.string(writing: figures.appendRemaining)
            }
            if !reason.scope.isEmpty {
                body.key(literal: "scope")
                body.beginObject()
                for label in reason.scope { body.key(label.key); body.string(label.value) }
                body.endObject()
            }
            if let wait = reason.retryAfter { body.key(literal: "retry_after_seconds"); body.integer(RateLimitHeaders.retryAfterSeconds(wait)) }
            body.endObject()
        }
        body.endArray()
        body.key(literal: "reservation")
        if let grant = outcome.reservation {
            body.beginObject()
            body.key(literal: "id"); body.string(grant.id)
            body.key(literal: "amount"); body.string(writing: grant.amount.appendExactDecimal)
            body.key(literal: "currency"); body.string(grant.currency)
            body.key(literal: "tokens"); body.integer(grant.tokens)
            body.key(literal: "expires_at"); body.string(grant.expiresAt.rfc3339)
            body.endObject()
        } else {
            body.null()
        }
        body.key(literal: "retry_after_seconds")
        if let wait = outcome.retryAfter { body.integer(RateLimitHeaders.retryAfterSeconds(wait)) } else { body.null() }
        body.key(literal: "estimated_cost"); body.string(writing: estimate.estimatedCost.appendExactDecimal)
        body.key(literal: "currency"); body.string(estimate.currency)
        body.endObject()
        return body.bytes
    }
}
