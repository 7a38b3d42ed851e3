import Synchronization

/// Whether the ledger has been restored, so `/-/ready` and the ingest path can tell.
public final class Readiness: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public var isReady: Bool { flag.load(ordering: .acquiring) }
    public func markReady() { flag.store(true, ordering: .releasing) }
}
