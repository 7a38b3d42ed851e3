import Synchronization

/// The first error reported from another thread (UsageWriter runs completions on its own thread);
/// later ones add nothing, the first being the cause.
final class FirstFailure: Sendable {
    private let state = Mutex<String?>(nil)
    var message: String? { state.withLock { $0 } }
    func record(_ message: String) { state.withLock { if $0 == nil { $0 = message } } }
}
