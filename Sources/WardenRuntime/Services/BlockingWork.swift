import Dispatch

/// Runs work that blocks (a scan of the usage log, a WAL checkpoint, an audit prune) off Swift's
/// cooperative threads, which are as many as the cores (two here): a service that blocked one
/// for a second would stall every other service's loop meanwhile.
public enum BlockingWork {
    public static func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
        }
    }
}
