import WardenRuntime

/// `DELETE /v1/reservations/{id}`: the caller will not make the call it checked for; its
/// reservation goes back to the budgets and quotas now instead of at expiry.
struct ReservationRoute: Sendable {
    let host: RuleHost
    static let prefix = "/v1/reservations/"

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let id = String(request.path.dropFirst(Self.prefix.count))
        guard !id.isEmpty, !id.contains("/") else {
            return responder.send(HTTPError(status: 404, message: "no such endpoint: \(request.path)").response)
        }
        if host.release(id) {
            responder.send(HTTPResponse(status: 204))
        } else {
            responder.send(HTTPError(status: 404, message: "reservation \(id) is unknown: never made, already committed or released, or expired").response)
        }
    }
}
