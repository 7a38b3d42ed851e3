import WardenRuntime

/// `/-/healthy` and `/-/ready`, as Prometheus itself names them: healthy as soon as the process
/// serves HTTP; ready once the ledger is restored and usage can be recorded.
enum HealthRoutes {
    static func healthy(_ request: HTTPRequest, _ responder: HTTPResponder) {
        responder.send(.text(200, "TokenWarden is Healthy.\n"))
    }

    static func ready(_ readiness: Readiness) -> @Sendable (HTTPRequest, HTTPResponder) -> Void {
        { _, responder in
            if readiness.isReady {
                responder.send(.text(200, "TokenWarden is Ready.\n"))
            } else {
                var response = HTTPResponse.text(503, "TokenWarden is not ready: \(readiness.unavailableReason).\n")
                response.headers.append((name: "Retry-After", value: "1"))
                responder.send(response)
            }
        }
    }
}
