import WardenCore
import WardenFormats
import WardenRuntime

/// `/v1/approvals`: the approval requests of checks refused by `require_approval` policies, with
/// four eyes (the same operations as `tokenwarden approvals`, audited with the calling key as the
/// actor). While authentication does not apply every path answers 409
/// `{"error":"governance needs API keys"}`.
///
/// - `GET /v1/approvals?status=…` → `{"approvals": [...]}`, oldest first, a scoped key's own
///   scope only;
/// - `POST /v1/approvals/{id}/approve` (optional `{"uses": N, "for": "24h"}`), `/reject` → 200
///   with the approval.
struct ApprovalRoutes: Sendable {
    let governance: ApprovalGovernance
    static let prefix = "/v1/approvals/"

    func list(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        guard let actor = OverrideRoutes.actor(caller) else { return responder.send(OverrideRoutes.needsKeys) }
        var status: ApprovalStatus?
        do throws(HTTPError) {
            for (name, value) in try request.singleValuedQuery() {
                guard name == "status" else {
                    throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" (expected status)")
                }
                guard let parsed = ApprovalStatus(rawValue: value) else {
                    throw HTTPError(status: 400, message: "query parameter status must be one of \(ApprovalStatus.list), not \"\(value)\"")
                }
                status = parsed
            }
        } catch {
            return responder.send(error.response)
        }
        do throws(OverrideError) {
            responder.send(.json(200, ApprovalRecord.listJSON(try governance.list(status: status, visibleTo: actor))))
        } catch {
            responder.send(OverrideRoutes.response(for: error))
        }
    }

    /// `POST /v1/approvals/{id}/approve` (body optional), `/reject` (any body is ignored).
    func action(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let parts = request.path.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, ["approve", "reject"].contains(parts[1]) else {
            return responder.send(HTTPError(status: 404, message: "no such endpoint: \(request.path) (POST /v1/approvals/{id}/approve or /reject)").response)
        }
        guard let actor = OverrideRoutes.actor(caller) else { return responder.send(OverrideRoutes.needsKeys) }
        let id = String(parts[0])
        do throws(OverrideError) {
            let record: ApprovalRecord
            if parts[1] == "approve" {
                let grant: ApprovalGrant
                switch Self.grant(request) {
                case .success(let value): grant = value
                case .failure(let refusal): return responder.send(refusal.response)
                }
                record = try governance.approve(id, grant: grant, by: actor)
            } else {
                record = try governance.reject(id, by: actor)
            }
            responder.send(.json(200, record.json))
        } catch {
            responder.send(OverrideRoutes.response(for: error))
        }
    }

    /// `{"uses": N, "for": "24h"}`, both optional, nothing else; an empty body grants the defaults.
    static func grant(_ request: HTTPRequest) -> Result<ApprovalGrant, HTTPErrorResponse> {
        let body: JSONValue?
        switch KeyRoutes.object(request, required: false) {
        case .success(let value): body = value
        case .failure(let refusal): return .failure(refusal)
        }
        var grant = ApprovalGrant()
        var problems: [(field: String, message: String)] = []
        for (field, value) in body?.members ?? [] where !value.isNull {
            switch field {
            case "uses":
                if case .integer(let count)? = value.integer { grant.uses = count } else {
                    problems.append(("uses", "must be a whole number from 1 to \(ApprovalTerms.maximumUses)"))
                }
            case "for":
                if let text = value.string { grant.duration = text } else { problems.append(("for", "must be a duration such as \"24h\"")) }
            default:
                problems.append((field, "unknown field; allowed: for, uses"))
            }
        }
        guard problems.isEmpty else { return .failure(HTTPErrorResponse(CheckRoute.errorsBody(problems))) }
        return .success(grant)
    }
}
