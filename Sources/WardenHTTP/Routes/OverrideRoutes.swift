import WardenCore
import WardenFormats
import WardenRuntime

/// `/v1/overrides`: budget overrides with four eyes (the same operations as `tokenwarden
/// overrides`, audited with the calling key as the actor). Governance counts identities, so
/// while authentication does not apply every path answers 409 `{"error":"governance needs API keys"}`.
///
/// - `POST /v1/overrides` `{"budget", "instance": {...}, "change", "for" | "until", "reason"}` → 201
///   with the override (`"status": "pending"`, or `"active"` below `governance.auto_approve_below`);
/// - `GET /v1/overrides?status=…&budget=…` → `{"overrides": [...]}`, oldest first, a scoped key's
///   own scope only;
/// - `POST /v1/overrides/{id}/approve`, `/reject`, `/revoke` → 200 with the override.
struct OverrideRoutes: Sendable {
    let governance: OverrideGovernance
    static let prefix = "/v1/overrides/"
    static let fields = ["budget", "change", "for", "instance", "reason", "until"]

    func create(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        guard let actor = Self.actor(caller) else { return responder.send(Self.needsKeys) }
        let body: JSONValue
        switch KeyRoutes.object(request, required: true) {
        case .success(let value): body = value!
        case .failure(let refusal): return responder.send(refusal.response)
        }
        var problems: [(field: String, message: String)] = []
        var strings: [String: String] = [:]
        var instance: [(key: String, value: String)] = []
        for (field, value) in body.members {
            switch field {
            case "instance":
                guard !value.isNull else { continue }
                guard value.kind == .object else { problems.append(("instance", "must be an object of attribution labels such as {\"team\": \"search\"}")); continue }
                for (key, label) in value.members {
                    if let text = label.string { instance.append((key, text)) } else { problems.append(("instance.\(key)", "must be a string")) }
                }
            case "budget", "change", "for", "until", "reason":
                guard !value.isNull else { continue }
                if let text = value.string { strings[field] = text } else { problems.append((field, "must be a string")) }
            default:
                problems.append((field, "unknown field; allowed: \(Self.fields.joined(separator: ", "))"))
            }
        }
        for field in ["budget", "change", "reason"] where strings[field] == nil && !problems.contains(where: { $0.field == field }) {
            problems.append((field, "is required"))
        }
        guard problems.isEmpty else { return responder.send(CheckRoute.errorsBody(problems)) }
        let ask = OverrideRequest(budget: strings["budget"]!, instance: instance, change: strings["change"]!,
                                  duration: strings["for"], until: strings["until"], reason: strings["reason"]!)
        do throws(OverrideError) {
            let record = try governance.request(ask, by: actor)
            responder.send(.json(201, Self.body(record)))
        } catch {
            responder.send(Self.response(for: error))
        }
    }

    func list(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        guard let actor = Self.actor(caller) else { return responder.send(Self.needsKeys) }
        var status: OverrideStatus?
        var budget: String?
        do throws(HTTPError) {
            for (name, value) in try request.singleValuedQuery() {
                switch name {
                case "status":
                    guard let parsed = OverrideStatus(rawValue: value) else {
                        throw HTTPError(status: 400, message: "query parameter status must be one of \(OverrideStatus.list), not \"\(value)\"")
                    }
                    status = parsed
                case "budget":
                    budget = value
                default:
                    throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" (expected status, budget)")
                }
            }
        } catch {
            return responder.send(error.response)
        }
        do throws(OverrideError) {
            let records = try governance.list(status: status, budget: budget, visibleTo: actor)
            responder.send(.json(200, OverrideRecord.listJSON(records)))
        } catch {
            responder.send(Self.response(for: error))
        }
    }

    /// `POST /v1/overrides/{id}/approve`, `/reject`, `/revoke` (any body is ignored).
    func action(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let parts = request.path.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, ["approve", "reject", "revoke"].contains(parts[1]) else {
            return responder.send(HTTPError(status: 404, message: "no such endpoint: \(request.path) (POST /v1/overrides/{id}/approve, /reject or /revoke)").response)
        }
        guard let actor = Self.actor(caller) else { return responder.send(Self.needsKeys) }
        let id = String(parts[0])
        do throws(OverrideError) {
            let record: OverrideRecord
            if parts[1] == "approve" {
                record = try governance.approve(id, by: actor)
            } else if parts[1] == "reject" {
                record = try governance.reject(id, by: actor)
            } else {
                record = try governance.revoke(id, by: actor)
            }
            responder.send(.json(200, Self.body(record)))
        } catch {
            responder.send(Self.response(for: error))
        }
    }

    // MARK: bodies

    /// The caller as a governance actor; nil while authentication does not apply.
    static func actor(_ caller: APICaller) -> GovernanceActor? { caller.key.map(GovernanceActor.key) }

    static var needsKeys: HTTPResponse { HTTPError(status: 409, message: "governance needs API keys").response }

    static func response(for error: OverrideError) -> HTTPResponse {
        switch error.kind {
        case .invalid: return CheckRoute.errorsBody(error.problems.map { ($0.field, $0.message) })
        case .forbidden:
            var body = JSONWriter()
            body.beginObject()
            body.key("error"); body.string(error.message)
            if let role = error.missingRole { body.key("missing_role"); body.string(role.rawValue) }
            body.endObject()
            return .json(403, body.bytes)
        case .unknown: return HTTPError(status: 404, message: error.message).response
        case .conflict: return HTTPError(status: 409, message: error.message).response
        case .storage: return HTTPError(status: 500, message: error.message).response
        }
    }

    static func body(_ record: OverrideRecord) -> [UInt8] { record.json }
}
