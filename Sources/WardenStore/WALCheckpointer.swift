import Foundation
import GRDBSQLite
import Logging

/// Moves WAL checkpoints off the writer thread.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold, on the
/// writer connection, and includes an fsync of the database file (20–60 ms here). With group
/// commit every request waiting for that commit waits for the fsync too: it was the whole
/// p99 of single-event ingest. Instead, a commit hook on the writer connection (which replaces
/// the automatic checkpoint) asks for a checkpoint once the WAL holds ``softLimitFrames``
/// (``requests``), and a service answers with ``checkpoint()`` (PASSIVE: it never blocks the
/// writer or readers) over a connection of its own.
///
/// A PASSIVE checkpoint cannot reset the WAL while commits keep arriving, so under a steady
/// stream the WAL would grow without bound. Past ``hardLimitFrames`` the writer therefore
/// checkpoints itself in the hook, as SQLite would have: by then the service has copied almost
/// every frame, so it is rare and short, and the next transaction starts the WAL over.
public final class WALCheckpointer: @unchecked Sendable {
    /// 8 MB of WAL (4 KiB pages) between checkpoints. Longer intervals write less per event (a
    /// checkpoint copies each changed page once): 32 MB cut the checkpoints' CPU per single-event
    /// ingest from 2.1–3.1 to 1.2 µs, but its bigger fsync bursts stalled commits for 150 ms
    /// and more (single-event p99 40–150 ms in 2 of 5 runs, against none at 8 MB), so it stays.
    static let softLimitFrames: Int32 = 2_000
    static let hardLimitFrames: Int32 = 16_384

    private let path: String
    private let logger: Logger
    /// Signals that a checkpoint is due; at most one pending (a burst of commits asks once).
    private let requestStream: AsyncStream<Void>
    private let requestContinuation: AsyncStream<Void>.Continuation
    // Guarded by `lock`: the checkpoint connection, opened on first use, closed at `close()`.
    private let lock = NSLock()
    private var connection: OpaquePointer?
    private var opened = false
    private var closed = false

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
        (requestStream, requestContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Installs the commit hook on the writer connection (it replaces `wal_autocheckpoint`).
    func attach(to writer: OpaquePointer) {
        sqlite3_wal_hook(writer, { context, db, _, frames in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
            if frames >= WALCheckpointer.hardLimitFrames {
                var log: Int32 = 0
                var copied: Int32 = 0
                _ = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
            } else if frames >= WALCheckpointer.softLimitFrames {
                checkpointer.requestContinuation.yield()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// One element per checkpoint the commit hook asked for; whoever runs checkpoints (a
    /// service of the runtime) answers each with ``checkpoint()``.
    public var requests: AsyncStream<Void> { requestStream }

    /// A PASSIVE checkpoint over the checkpointer's own connection: it never blocks the writer
    /// or readers, but waits for the disk (call it off the request path).
    public func checkpoint() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed, let connection = openConnection() else { return }
        var log: Int32 = 0
        var copied: Int32 = 0
        let result = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        if result != SQLITE_OK && result != SQLITE_BUSY {
            logger.warning("WAL checkpoint failed", metadata: ["error": "\(String(cString: sqlite3_errstr(result)))"])
        }
    }

    /// Closes the checkpoint connection; later requests are ignored. The hook stays installed until
    /// the writer connection closes (it only signals).
    func close() {
        lock.lock()
        defer { lock.unlock() }
        closed = true
        requestContinuation.finish()
        if let connection { sqlite3_close_v2(connection) }
        connection = nil
    }

    /// Called with `lock` held.
    private func openConnection() -> OpaquePointer? {
        if opened { return connection }
        opened = true
        var candidate: OpaquePointer?
        var result = sqlite3_open_v2(path, &candidate, SQLITE_OPEN_READWRITE, nil)
        if result == SQLITE_OK {
            // A connection that has read nothing yet does not know the file is in WAL mode, and its
            // checkpoints silently do nothing: read once to open the WAL.
            result = sqlite3_exec(candidate, "PRAGMA schema_version", nil, nil, nil)
        }
        guard result == SQLITE_OK else {
            logger.warning("cannot open a checkpoint connection; the writer checkpoints the WAL itself",
                           metadata: ["path": "\(path)", "error": "\(String(cString: sqlite3_errstr(result)))"])
            sqlite3_close_v2(candidate)
            return nil
        }
        connection = candidate
        return candidate
    }
}
