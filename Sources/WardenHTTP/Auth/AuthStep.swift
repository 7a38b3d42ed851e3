import Foundation
import WardenCore
import WardenFormats
import WardenRuntime

/// The HTTP side of API key authentication: reads the credentials a request presents, asks the
/// runtime's ``Authorizer`` whether they allow the route, and renders a refusal.
///
/// - `Authorization: Bearer tw_<id>_<secret>` on every route;
/// - `Authorization: Basic` of the key's name and its key (or bare secret) on `GET` and `HEAD`,
///   so a browser can open the spend page and follow its export links;
/// - 401 `{"error":"missing or unknown API key"}` with `WWW-Authenticate: Bearer realm="tokenwarden"`,
///   or the key's own reason when it is revoked or expired; 403
///   `{"error":"key \"ci\" lacks role \"check\"","missing_role":"check"}`.
///
/// A 401 to a `GET` whose `Accept` asks for HTML (a browser navigating) also carries a `Basic`
/// challenge, which makes the browser ask for the key's name and secret. Only then: other
/// clients would try the challenge themselves, and swift-corelibs-foundation's `URLSession` (6.x)
/// never completes a request answered with one.
public struct AuthStep: Sendable {
    public let authorizer: Authorizer

    public init(authorizer: Authorizer) { self.authorizer = authorizer }

    public enum Admission: Sendable {
        case admitted(APICaller)
        case refused(HTTPResponse)
    }

    public func admit(_ request: HTTPRequest, for operation: APIOperation) -> Admission {
        // Open routes, and every route while authentication does not apply, read no header.
        guard operation.requiredRole != nil, authorizer.applies else { return .admitted(.unauthenticated) }
        let isRead = request.method == "GET" || request.method == "HEAD"
        switch authorizer.authorize(Self.credentials(request, acceptBasic: isRead), for: operation) {
        case .success(let caller): return .admitted(caller)
        case .failure(let denial):
            let browser = isRead && (request.header("Accept")?.contains("text/html") ?? false)
            return .refused(Self.response(denial, offerBasic: browser))
        }
    }

    /// The `Authorization` header's credentials. The scheme is case-insensitive (RFC 9110).
    ///
    /// Read on the header's bytes, without Foundation's trimming or a lowercased copy: this runs
    /// on every request once keys apply.
    static func credentials(_ request: HTTPRequest, acceptBasic: Bool) -> Authorizer.Credentials {
        guard let header = request.header("Authorization") else { return .none }
        let value = Self.trimmed(Substring(header))
        guard !value.isEmpty else { return .none }
        guard let space = value.utf8.firstIndex(of: UInt8(ascii: " ")) else { return .unreadable }
        let scheme = value[..<space]
        let rest = Self.trimmed(value[space...])
        if Self.isScheme(scheme, "bearer") { return .bearer(rest) }
        guard acceptBasic, Self.isScheme(scheme, "basic") else { return .unreadable }
        guard let decoded = Data(base64Encoded: String(rest)), let text = String(data: decoded, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return .unreadable }
        return .basic(user: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }

    /// Without leading and trailing spaces and tabs (the optional whitespace of RFC 9110).
    static func trimmed(_ text: Substring) -> Substring {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = text.utf8.firstIndex(where: { !isBlank($0) }),
              let last = text.utf8.lastIndex(where: { !isBlank($0) }) else { return text[text.endIndex...] }
        return text[first...last]
    }

    /// `scheme` is `lowercaseName` in any case.
    static func isScheme(_ scheme: Substring, _ lowercaseName: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: lowercaseName.utf8Start, count: lowercaseName.utf8CodeUnitCount)
        guard scheme.utf8.count == expected.count else { return false }
        return zip(scheme.utf8, expected).allSatisfy { byte, lower in byte | 0x20 == lower }
    }

    static let bearerChallenge = (name: "WWW-Authenticate", value: #"Bearer realm="tokenwarden""#)
    static let basicChallenge = (name: "WWW-Authenticate", value: #"Basic realm="tokenwarden", charset="UTF-8""#)

    static func response(_ denial: Authorizer.Denial, offerBasic: Bool) -> HTTPResponse {
        if case .lacksRole(_, let role) = denial {
            var body = JSONWriter()
            body.beginObject()
            body.key("error"); body.string(denial.message)
            body.key("missing_role"); body.string(role.rawValue)
            body.endObject()
            return .json(403, body.bytes)
        }
        var response = HTTPError(status: denial.status, message: denial.message).response
        if denial.status == 401 {
            response.headers.append(bearerChallenge)
            if offerBasic { response.headers.append(basicChallenge) }
        }
        return response
    }

    /// 403 for a request whose attribution contradicts the key's scope: every contradicted
    /// label as `{"field": "attribution.<key>", "message": "key is scoped to <key>=<value>"}`,
    /// with the event's `index` for usage batches.
    static func scopeConflict(_ conflicts: [(index: Int?, label: Attribution.Label)]) -> HTTPResponse {
        var body = JSONWriter()
        body.beginObject()
        body.key("errors")
        body.beginArray()
        for (index, label) in conflicts {
            body.beginObject()
            if let index { body.key("index"); body.integer(index) }
            body.key("field"); body.string("attribution.\(label.key)")
            body.key("message"); body.string(APIKey.scopeConflictMessage(label))
            body.endObject()
        }
        body.endArray()
        body.endObject()
        return .json(403, body.bytes)
    }
}
