import WardenCore
import WardenFormats
import WardenRuntime

/// `/v1/keys`: API key management over HTTP, for an `admin` key (the same operations as
/// `tokenwarden keys`, audited with the calling key as the actor).
///
/// - `POST /v1/keys` `{"name", "roles": [...], "scope": {...}, "expires": "90d"}` → 201 with the
///   key, its secret (`tw_…`, shown this once) and its fields;
/// - `GET /v1/keys` (`?all=true` for revoked and expired secrets too) → `{"keys": [...]}`, never a secret;
/// - `POST /v1/keys/{name}/rotate` `{"grace": "24h"}` (optional) → 201 with the new secret;
/// - `POST /v1/keys/{name}/revoke` `{"id": "…"}` (optional) → 200 `{"name", "revoked": [ids]}`.
struct KeyRoutes: Sendable {
    let administration: KeyAdministration
    let clock: any WallClock
    static let prefix = "/v1/keys/"

    func create(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let body: JSONValue
        switch Self.object(request, required: true) {
        case .success(let value): body = value!
        case .failure(let refusal): return responder.send(refusal.response)
        }
        var problems: [(field: String, message: String)] = []
        var name = "", roles: [String] = [], scope: [(key: String, value: String)] = [], expires: String?
        for (field, value) in body.members {
            switch field {
            case "name":
                if let text = value.string { name = text } else { problems.append(("name", "must be a string")) }
            case "roles":
                if value.kind == .array, value.elements.allSatisfy({ $0.string != nil }) {
                    roles = value.elements.compactMap(\.string)
                } else {
                    problems.append(("roles", "must be a list of role names: \(APIRole.list)"))
                }
            case "scope":
                guard !value.isNull else { continue }
                guard value.kind == .object else { problems.append(("scope", "must be an object of attribution labels")); continue }
                for (key, label) in value.members {
                    if let text = label.string { scope.append((key, text)) } else { problems.append(("scope.\(key)", "must be a string")) }
                }
            case "expires":
                guard !value.isNull else { continue }
                if let text = value.string { expires = text } else { problems.append(("expires", "must be a duration such as 90d")) }
            default:
                problems.append((field, "unknown field; allowed: expires, name, roles, scope"))
            }
        }
        if body["name"] == nil { problems.append(("name", "is required")) }
        if body["roles"] == nil { problems.append(("roles", "is required")) }
        guard problems.isEmpty else { return responder.send(CheckRoute.errorsBody(problems)) }
        do {
            let issued = try administration.create(KeyRequest(name: name, roles: roles, scope: scope, expires: expires), actor: caller.actor)
            responder.send(.json(201, Self.issuedBody(issued)))
        } catch {
            responder.send(Self.response(for: error))
        }
    }

    func list(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        var all = false
        do {
            for (name, value) in try request.singleValuedQuery() {
                guard name == "all" else {
                    throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" (expected all)")
                }
                guard value == "true" || value == "false" else {
                    throw HTTPError(status: 400, message: "query parameter all must be true or false")
                }
                all = value == "true"
            }
        } catch let error as HTTPError {
            return responder.send(error.response)
        } catch {
            return responder.send(HTTPError(status: 400, message: "\(error)").response)
        }
        let keys: [APIKey]
        do {
            keys = try administration.list()
        } catch {
            return responder.send(Self.response(for: error))
        }
        let now = clock.now()
        var body = JSONWriter()
        body.beginObject()
        body.key("keys")
        body.beginArray()
        for key in keys where all || key.status(at: now).isUsable { Self.write(key, at: now, to: &body) }
        body.endArray()
        body.endObject()
        responder.send(.json(200, body.bytes))
    }

    /// `POST /v1/keys/{name}/rotate` and `/revoke`.
    func action(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let parts = request.path.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1] == "rotate" || parts[1] == "revoke" else {
            return responder.send(HTTPError(status: 404, message: "no such endpoint: \(request.path)").response)
        }
        let name = String(parts[0])
        let body: JSONValue?
        switch Self.object(request, required: false) {
        case .success(let value): body = value
        case .failure(let refusal): return responder.send(refusal.response)
        }
        let field = parts[1] == "rotate" ? "grace" : "id"
        var argument: String?
        for (key, value) in body?.members ?? [] {
            guard key == field else {
                return responder.send(CheckRoute.errorsBody([(key, "unknown field; allowed: \(field)")]))
            }
            guard value.isNull || value.string != nil else {
                return responder.send(CheckRoute.errorsBody([(key, "must be a string")]))
            }
            argument = value.string
        }
        do {
            if parts[1] == "rotate" {
                let issued = try administration.rotate(name: name, grace: argument, actor: caller.actor)
                responder.send(.json(201, Self.issuedBody(issued)))
            } else {
                let revoked = try administration.revoke(name: name, id: argument, actor: caller.actor)
                var json = JSONWriter()
                json.beginObject()
                json.key("name"); json.string(name)
                json.key("revoked")
                json.beginArray()
                for key in revoked { json.string(key.id) }
                json.endArray()
                json.endObject()
                responder.send(.json(200, json.bytes))
            }
        } catch {
            responder.send(Self.response(for: error))
        }
    }

    // MARK: bodies

    /// The body as a JSON object; nil for an empty optional body.
    static func object(_ request: HTTPRequest, required: Bool) -> Result<JSONValue?, HTTPErrorResponse> {
        if request.body.isEmpty && !required { return .success(nil) }
        guard UsageBodyFormat.from(contentType: request.header("Content-Type")) == .json else {
            return .failure(HTTPErrorResponse(HTTPError(status: 415, message: "Content-Type must be application/json, not \(request.header("Content-Type") ?? "absent")").response))
        }
        let document: JSONDocument
        do { document = try JSONDocument(parsing: request.body) } catch {
            var body = JSONWriter()
            body.beginObject()
            body.key("error"); body.string("malformed JSON at byte \(error.offset): \(error.message)")
            body.key("offset"); body.integer(error.offset)
            body.endObject()
            return .failure(HTTPErrorResponse(.json(400, body.bytes)))
        }
        guard document.root.kind == .object else {
            return .failure(HTTPErrorResponse(CheckRoute.errorsBody([("", "the body must be a JSON object")])))
        }
        return .success(document.root)
    }

    static func response(for error: KeyAdministrationError) -> HTTPResponse {
        switch error.kind {
        case .invalid: CheckRoute.errorsBody(error.problems.map { ($0.field, $0.message) })
        case .exists: HTTPError(status: 409, message: error.message).response
        case .unknownKey: HTTPError(status: 404, message: error.message).response
        case .storage: HTTPError(status: 500, message: error.message).response
        }
    }

    /// A new key with its secret: `{"name", "id", "secret", "roles", "scope", "created", "expires"}`,
    /// and for a rotation `"replaced": [{"id", "valid_until"}]`.
    static func issuedBody(_ issued: IssuedKey) -> [UInt8] {
        var body = JSONWriter()
        body.beginObject()
        writeFields(issued.key, secret: issued.token.description, to: &body)
        if !issued.replaced.isEmpty {
            body.key("replaced")
            body.beginArray()
            for old in issued.replaced {
                body.beginObject()
                body.key("id"); body.string(old.id)
                body.key("valid_until")
                body.string(orNull: old.validUntil?.rfc3339)
                body.endObject()
            }
            body.endArray()
        }
        body.endObject()
        return body.bytes
    }

    /// One row of `GET /v1/keys`.
    static func write(_ key: APIKey, at now: Timestamp, to body: inout JSONWriter) {
        body.beginObject()
        writeFields(key, secret: nil, to: &body)
        body.key("grace_ends"); optionalTime(key.graceEnds, &body)
        body.key("revoked"); optionalTime(key.revoked, &body)
        body.key("last_used"); optionalTime(key.lastUsed, &body)
        body.key("status"); body.string(key.status(at: now).name)
        body.endObject()
    }

    private static func writeFields(_ key: APIKey, secret: String?, to body: inout JSONWriter) {
        body.key("name"); body.string(key.name)
        body.key("id"); body.string(key.id)
        if let secret { body.key("secret"); body.string(secret) }
        body.key("roles")
        body.beginArray()
        for role in key.roles.names { body.string(role) }
        body.endArray()
        body.key("scope")
        body.beginObject()
        for label in key.scope.labels { body.key(label.key); body.string(label.value) }
        body.endObject()
        body.key("created"); body.string(key.created.rfc3339)
        body.key("expires"); optionalTime(key.expires, &body)
    }

    private static func optionalTime(_ time: Timestamp?, _ body: inout JSONWriter) {
        body.string(orNull: time?.rfc3339)
    }
}

/// A ready response carried through a `Result`.
struct HTTPErrorResponse: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}
