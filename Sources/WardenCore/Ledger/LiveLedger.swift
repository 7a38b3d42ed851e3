import Synchronization

/// The one owner of the ledger shared between the ingest writer and the exposition readers.
///
/// A mutex rather than an actor: the writer thread and libmicrohttpd's threads are plain threads,
/// and both critical sections are short (apply a batch; copy out what a scrape needs).
public final class LiveLedger: Sendable {
    private let state: Mutex<Ledger>

    public init(_ ledger: Ledger) { state = Mutex(ledger) }

    public func read<T>(_ body: (borrowing Ledger) throws -> T) rethrows -> T {
        try state.withLock { ledger in try body(ledger) }
    }

    public func apply(_ delta: Ledger.Delta) {
        state.withLock { $0.apply(delta) }
    }

    /// Everything changed since the previous checkpoint (see ``Ledger/takeCheckpoint()``).
    public func takeCheckpoint() -> Ledger.Checkpoint {
        state.withLock { $0.takeCheckpoint() }
    }

    public func restoreUncheckpointed(_ checkpoint: Ledger.Checkpoint) {
        state.withLock { $0.restoreUncheckpointed(checkpoint) }
    }

    public func replace(with ledger: Ledger) {
        state.withLock { $0 = ledger }
    }
}
