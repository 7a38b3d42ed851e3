import WardenRuntime

/// `DELETE /v1/reservations/{id}`: the caller will not make the call it checked for; its
/// reservation goes back to the budgets and quotas now instead of at expiry.
struct ReservationRoute: Sendable {
    let host: RuleHost
    static let prefix = "/v1/reservations/"

    /// A `check` key releases only what its own checks reserved; an admin key (or anyone, while
    /// authentication does not apply) releases any reservation.
    func handle(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let id = String(request.path.dropFirst(Self.prefix.count))
        guard !id.isEmpty, !id.contains("/") else {
            return responder.send(HTTPError(status: 404, message: "no such endpoint: \(request.path)").response)
        }
        switch host.release(id, byKey: caller.reservationOwner) {
        case .released:
            responder.send(HTTPResponse(status: 204))
        case .unknown:
            responder.send(HTTPError(status: 404, message: "reservation \(id) is unknown: never made, already committed or released, or expired").response)
        case .madeByAnotherKey:
            responder.send(HTTPError(status: 403, message: "reservation \(id) was not made by key \"\(caller.keyName ?? "")\": a key releases only its own reservations").response)
        }
    }
}
