import Dispatch
import Foundation
import ServiceLifecycle

/// SIGHUP reloads the rule files, as `POST /-/reload` does; a bad set is logged and the rules in
/// force stay. A SIGHUP during the restore is acted on once it is done. It also runs the
/// ``HangupActions`` (at once: they do not need the restored state).
struct HangupReloadService: Service {
    let rules: RuleHost
    let gate: StartupGate
    let actions: HangupActions

    func run() async throws {
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler { [rules, gate, actions] in
            actions.run()
            Task {
                guard (try? await gate.wait()) != nil else { return }
                rules.reloadRules(actor: "signal:SIGHUP")
            }
        }
        hangup.resume()
        try? await gracefulShutdown()
        hangup.cancel()
    }
}
