/// `tokenwarden_auth_failures_total{reason}`: requests refused by authentication — `missing`
/// (no key), `unknown` (malformed, unknown, or a wrong secret), `revoked`, `expired` (past its
/// expiry or a rotation's grace), `forbidden` (a key without the route's role, a scoped key on
/// `/metrics`, or a request outside the key's scope) — every reason from zero.
public struct AuthExposition: MetricsCollector {
    let failures: @Sendable () -> [(reason: String, count: Int)]

    public init(failures: @escaping @Sendable () -> [(reason: String, count: Int)]) { self.failures = failures }

    public func write(into writer: inout ExpositionWriter) {
        writer.family("tokenwarden_auth_failures_total", type: .counter,
                      help: "Requests refused by API key authentication, by reason: missing, unknown, revoked, expired, forbidden.")
        for (reason, count) in failures() {
            writer.sample("tokenwarden_auth_failures_total", LabelPairs([("reason", reason)]), count)
        }
    }
}
