import Synchronization
import WardenFormats

/// The `basic_auth_users` of the web configuration: the users a guarded route (`/metrics`) asks
/// for with basic authentication (RFC 7617), each with a bcrypt hash as the Prometheus exporter
/// toolkit takes them. With no users, it lets every request through.
///
/// A password that matched once is remembered (``VerifiedPasswords``), so a scrape costs no
/// bcrypt; a new one is checked off the worker threads (``BcryptVerifier``) and the request is
/// answered when the check is done.
public final class BasicAuthGate: Sendable {
    private let users: Mutex<[String: String]>
    private let verified = VerifiedPasswords()
    let verifier = BcryptVerifier()

    public init(users: [BasicAuthUser]) {
        self.users = Mutex(Self.table(users))
    }

    /// From now on these users, and only these, are let through.
    public func replaceUsers(_ users: [BasicAuthUser]) {
        let table = Self.table(users)
        self.users.withLock { $0 = table }
        verified.removeAll()
    }

    public var isEnabled: Bool { users.withLock { !$0.isEmpty } }

    private static func table(_ users: [BasicAuthUser]) -> [String: String] {
        Dictionary(users.map { ($0.name, $0.bcryptHash) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether the request's basic credentials name one of the users (its password unchecked):
    /// such a request is theirs to judge, any other may still present an API key.
    public func namesUser(_ request: HTTPRequest) -> Bool {
        guard let credentials = BasicCredentials(authorization: request.header("Authorization")) else { return false }
        return users.withLock { $0[credentials.user] != nil }
    }

    /// `handler`, run only for requests with the name and password of a configured user;
    /// the others get 401 with a `Basic` challenge.
    public func guarding(_ handler: @escaping @Sendable (HTTPRequest, HTTPResponder) -> Void)
        -> @Sendable (HTTPRequest, HTTPResponder) -> Void
    {
        { [self] request, responder in
            let users = self.users.withLock { $0 }
            guard !users.isEmpty else { return handler(request, responder) }
            guard let credentials = BasicCredentials(authorization: request.header("Authorization")) else {
                return responder.send(Self.challenge("this endpoint needs a user name and password (basic authentication)"))
            }
            let storedHash = users[credentials.user]
            // An unknown user's password is checked against a real user's hash and then
            // refused, so a wrong name takes as long as a wrong password: timing does not tell
            // which user names exist.
            guard let hash = storedHash ?? users.values.first else {
                return responder.send(Self.challenge("wrong user name or password"))
            }
            let key = VerifiedPasswords.key(user: credentials.user, hash: hash, password: credentials.password)
            if storedHash != nil, verified.contains(key) {
                return handler(request, responder)
            }
            let verified = self.verified
            let accepted = verifier.submit {
                if BcryptVerifier.matches(password: credentials.password, hash: hash), storedHash != nil {
                    verified.insert(key)
                    handler(request, responder)
                } else {
                    responder.send(Self.challenge("wrong user name or password"))
                }
            }
            if !accepted {
                var response = HTTPError(status: 429, message: "too many password checks are waiting; retry shortly").response
                response.headers.append((name: "Retry-After", value: "1"))
                responder.send(response)
            }
        }
    }

    /// 401 with the challenge browsers and Prometheus answer with credentials.
    static func challenge(_ message: String) -> HTTPResponse {
        var response = HTTPError(status: 401, message: message).response
        response.headers.append((name: "WWW-Authenticate", value: "Basic realm=\"tokenwarden\""))
        return response
    }
}
