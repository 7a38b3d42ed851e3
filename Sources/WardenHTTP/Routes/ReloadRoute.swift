import WardenCore
import WardenRuntime
import WardenFormats

/// `POST /-/reload` (as Prometheus names it): re-reads the rule files. 200 with the new counts, or
/// 400 with every error as `file:line:col: message` while the previous rules stay in force.
struct ReloadRoute: Sendable {
    let host: RuleHost

    func handle(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        var body = JSONWriter()
        body.beginObject()
        switch host.reloadRules(actor: caller.actor) {
        case .reloaded(let rules):
            body.key("status"); body.string("reloaded")
            body.key("budgets"); body.integer(rules.budgets.count)
            body.key("quotas"); body.integer(rules.quotas.count)
            body.key("policies"); body.integer(rules.policies.count)
            body.endObject()
            responder.send(.json(200, body.bytes))
        case .failed(let messages):
            body.key("status"); body.string("failed")
            body.key("errors")
            body.beginArray()
            for message in messages { body.string(message) }
            body.endArray()
            body.endObject()
            responder.send(.json(400, body.bytes))
        }
    }
}
