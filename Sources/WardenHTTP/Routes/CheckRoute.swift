import WardenCore
import WardenRuntime
import WardenFormats
import WardenMetrics

/// `POST /v1/check`: the pre-flight check an agent makes before an expensive call.
///
/// Answers 200 for allow and warn (with a reservation when a budget or quota matched), 429 for
/// throttle with `Retry-After`, 403 for deny and require_approval. `RateLimit-Policy` and
/// `RateLimit` (draft-ietf-httpapi-ratelimit-headers) describe every quota that applied.
final class CheckRoute: Sendable {
    let decoder: CheckRequestDecoder
    /// The prices in force (they reload with the rules), for estimates given in tokens.
    let pricing: LivePricing
    let unknownModels: DeploymentConfig.UnknownModelPolicy
    let host: RuleHost
    let readiness: Readiness
    let clock: any WallClock
    /// Where a check refused for contradicting its key's scope is counted (`forbidden`).
    let authFailures: AuthFailureCounts
    /// Approvals for `require_approval` refusals and the retries that name them (nil: refusals
    /// stay plain and `approval_id` is refused).
    let approvals: ApprovalGovernance?

    init(decoder: CheckRequestDecoder, pricing: LivePricing, unknownModels: DeploymentConfig.UnknownModelPolicy,
         host: RuleHost, readiness: Readiness, clock: any WallClock, authFailures: AuthFailureCounts = AuthFailureCounts(),
         approvals: ApprovalGovernance? = nil) {
        self.decoder = decoder
        self.pricing = pricing
        self.unknownModels = unknownModels
        self.host = host
        self.readiness = readiness
        self.clock = clock
        self.authFailures = authFailures
        self.approvals = approvals
    }

    func handle(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        guard readiness.isReady else {
            var response = HTTPError(status: 503, message: readiness.unavailableReason).response
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
            return responder.send(Self.errorsBody(errors))
        case .success(let value):
            decoded = value
        }
        if let key = caller.key {
            decoded.request.keyName = key.name
        }
        if let key = caller.key, key.isScoped {
            // The scope binds the attribution before anything is priced or decided.
            let conflicts = key.bind(&decoded.request.attribution)
            if !conflicts.isEmpty {
                authFailures.count(.forbidden)
                return responder.send(AuthStep.scopeConflict(conflicts.map { (nil, $0) }))
            }
            if let problem = InputBounds.attributionSizeProblem(of: decoded.request.attribution, limit: decoder.maxAttributionBytes) {
                return responder.send(Self.errorsBody([("attribution", problem)]))
            }
        }
        if !decoded.hasExplicitCost {
            if case .failure(let unpriced) = decoded.request.priceEstimate(with: pricing.catalog, at: clock.now()),
               unknownModels == .reject {
                return responder.send(HTTPError(status: 422, message: unpriced.message).response)
            }
        }
        let outcome: CheckOutcome
        var approval: ApprovalRecord?
        if let approvals, caller.key != nil || decoded.approvalID != nil {
            do throws(OverrideError) {
                let checked = try approvals.check(decoded.request, approvalID: decoded.approvalID, by: caller.key.map(GovernanceActor.key),
                                                  run: { [host] request in host.check(request) })
                outcome = checked.outcome
                approval = checked.outcome.decision == .requireApproval ? checked.approval : nil
            } catch {
                return responder.send(Self.approvalRefusal(error))
            }
        } else if decoded.approvalID != nil {
            return responder.send(Self.errorsBody([("approval_id", "this server takes no approvals")]))
        } else {
            outcome = host.check(decoded.request)
        }
        if outcome.reservationsFull {
            let seconds = max(1, RateLimitHeaders.retryAfterSeconds(outcome.retryAfter ?? 1_000_000_000))
            var body = JSONWriter()
            body.beginObject()
            body.key("error")
            if outcome.reservationsFullForKey, let name = caller.keyName {
                body.string("too many unclaimed reservations for key \"\(name)\" (reservations.max_active_per_key); commit or release them, or retry later")
            } else {
                body.string("too many unclaimed reservations (reservations.max_active); commit or release them, or retry later")
            }
            body.key("retry_after_seconds"); body.integer(seconds)
            body.endObject()
            var response = HTTPResponse.json(503, body.bytes)
            response.headers.append((name: "Retry-After", value: String(seconds)))
            return responder.send(response)
        }
        var response = HTTPResponse.json(outcome.decision.httpStatus, CheckResponseBody.render(outcome, estimate: decoded.request, approval: approval))
        response.headers.reserveCapacity(4)
        if !outcome.quotaStates.isEmpty {
            response.headers.append((name: "RateLimit-Policy", value: outcome.rateLimitPolicyField))
            response.headers.append((name: "RateLimit", value: outcome.rateLimitField))
        }
        if outcome.decision == .throttle {
            response.headers.append((name: "Retry-After", value: String(RateLimitHeaders.retryAfterSeconds(outcome.retryAfter ?? 1_000_000_000))))
        }
        responder.send(response)
    }

    /// A retry whose `approval_id` cannot be used: 403 `{"error": "approval_id: …", "field":
    /// "approval_id"}` (400 with the field's error without keys; 500 when the store failed).
    static func approvalRefusal(_ error: OverrideError) -> HTTPResponse {
        switch error.kind {
        case .invalid: return errorsBody(error.problems.map { ($0.field, $0.message) })
        case .storage: return HTTPError(status: 500, message: error.message).response
        default:
            var body = JSONWriter()
            body.beginObject()
            body.key("error"); body.string(error.message)
            body.key("field"); body.string("approval_id")
            body.endObject()
            return .json(403, body.bytes)
        }
    }

    /// 400 `{"errors": [{"field", "message"}, ...]}`.
    static func errorsBody(_ errors: [(field: String, message: String)]) -> HTTPResponse {
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
        return .json(400, body.bytes)
    }
}
