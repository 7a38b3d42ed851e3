import Synchronization

/// What else a SIGHUP does besides reloading the rules, registered by the parts that own it
/// (the HTTP edge re-reads its web configuration). The process has one SIGHUP handler,
/// ``HangupReloadService``: a second one would undo the first's registration.
public final class HangupActions: Sendable {
    private let actions = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    public func add(_ action: @escaping @Sendable () -> Void) {
        actions.withLock { $0.append(action) }
    }

    func run() {
        for action in actions.withLock({ $0 }) { action() }
    }
}
