import Foundation
import GRDBSQLite
import Logging

/// Moves WAL checkpoints off the writer thread.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold, on the
/// writer connection, and includes an fsync of the database file (20–60 ms here). With group
/// commit every request waiting for that commit waits for the fsync too: it was the whole
/// p99 of single-event ingest. Instead, a commit hook on the writer connection (which replaces
/// the automatic checkpoint) wakes this thread once the WAL holds ``softLimitFrames``, and the
/// thread checkpoints (PASSIVE: it never blocks the writer or readers) over its own connection.
///
/// A PASSIVE checkpoint cannot reset the WAL while commits keep arriving, so under a steady
/// stream the WAL would grow without bound. Past ``hardLimitFrames`` the writer therefore
/// checkpoints itself in the hook, as SQLite would have: by then this thread has copied almost
/// every frame, so it is rare and short, and the next transaction starts the WAL over.
final class WALCheckpointer: @unchecked Sendable {
    /// 8 MB of WAL (4 KiB pages) between checkpoints. Longer intervals write less per event (a
    /// checkpoint copies each changed page once): 32 MB cut this thread's CPU per single-event
    /// ingest from 2.1–3.1 to 1.2 µs, but its bigger fsync bursts stalled commits for 150 ms
    /// and more (single-event p99 40–150 ms in 2 of 5 runs, against none at 8 MB), so it stays.
    static let softLimitFrames: Int32 = 2_000
    static let hardLimitFrames: Int32 = 16_384

    private let path: String
    private let logger: Logger
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var requested = false
    private var stopping = false
    private var running = false
    private let finished = DispatchSemaphore(value: 0)

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// Installs the commit hook on the writer connection (it replaces `wal_autocheckpoint`)
    /// and starts the checkpoint thread.
    func attach(to writer: OpaquePointer) {
        sqlite3_wal_hook(writer, { context, db, _, frames in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
            if frames >= WALCheckpointer.hardLimitFrames {
                var log: Int32 = 0
                var copied: Int32 = 0
                _ = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
            } else if frames >= WALCheckpointer.softLimitFrames {
                checkpointer.request()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
        condition.lock()
        running = true
        condition.unlock()
        let thread = Thread { [self] in run() }
        thread.name = "tokenwarden-checkpoint"
        thread.start()
    }

    /// Stops the thread. The hook stays installed until the writer connection closes (it only
    /// signals, and a request after stop is ignored).
    func stop() {
        condition.lock()
        let wasRunning = running
        stopping = true
        condition.signal()
        condition.unlock()
        if wasRunning { finished.wait() }
    }

    private func request() {
        condition.lock()
        if !requested {
            requested = true
            condition.signal()
        }
        condition.unlock()
    }

    private func run() {
        var connection: OpaquePointer?
        var opened = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil)
        if opened == SQLITE_OK {
            // A connection that has read nothing yet does not know the file is in WAL mode, and its
            // checkpoints silently do nothing: read once to open the WAL.
            opened = sqlite3_exec(connection, "PRAGMA schema_version", nil, nil, nil)
        }
        if opened != SQLITE_OK {
            logger.warning("cannot open a checkpoint connection; the writer checkpoints the WAL itself",
                           metadata: ["path": "\(path)", "error": "\(String(cString: sqlite3_errstr(opened)))"])
        }
        defer {
            sqlite3_close_v2(connection)
            condition.lock()
            running = false
            condition.unlock()
            finished.signal()
        }
        while true {
            condition.lock()
            while !requested && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                return
            }
            requested = false
            condition.unlock()
            guard opened == SQLITE_OK, let connection else { continue }
            var log: Int32 = 0
            var copied: Int32 = 0
            let result = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
            if result != SQLITE_OK && result != SQLITE_BUSY {
                logger.warning("WAL checkpoint failed", metadata: ["error": "\(String(cString: sqlite3_errstr(result)))"])
            }
        }
    }
}
