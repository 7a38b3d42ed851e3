import Synchronization
import WardenMetrics

/// One scrape's exposition, rendered (and gzip-compressed, when the scraper accepts it) a piece
/// at a time while libmicrohttpd sends it, so a scrape's memory is a piece and zlib's window
/// rather than the whole body (~100 MB at 100k label sets, ~10 MB gzipped).
///
/// Consistency: everything is read when the stream is made. The ledger is a ``LedgerExposition``
/// snapshot (its arrays of that moment, shared copy-on-write), and the small families that follow
/// it — the ledger totals, histograms, rule and notification families, build info, `process_*` — are
/// rendered right then into ``State/tail``. Only the per-label-set families are rendered later,
/// from the snapshot, so a slow reader sees the counters of one moment.
final class ExpositionStream: HTTPBodyStream {
    /// Uncompressed bytes rendered per piece.
    static let pieceBytes = 64 << 10

    private struct State {
        let snapshot: LedgerExposition.Snapshot
        var cursor = LedgerExposition.Cursor()
        var writer: ExpositionWriter
        /// Everything after the per-label-set families, ending the exposition (`# EOF` in OpenMetrics).
        var tail: [UInt8]?
        let gzip: GzipStream?
        /// Bytes ready to send, from `sent` on.
        var pending: [UInt8] = []
        var sent = 0
        /// Uncompressed bytes rendered so far.
        var rendered = 0
    }

    private let state: Mutex<State>
    /// Called once with the uncompressed size when the last piece has been rendered.
    private let onFinish: @Sendable (Int) -> Void

    init(format: ExpositionFormat, snapshot: LedgerExposition.Snapshot, tail: [UInt8], gzipLevel: Int32?,
         onFinish: @escaping @Sendable (Int) -> Void = { _ in }) {
        let writer = ExpositionWriter(format: format, reservingCapacity: Self.pieceBytes + Self.pieceBytes / 2)
        state = Mutex(State(snapshot: snapshot, writer: writer, tail: tail, gzip: gzipLevel.map { GzipStream(level: $0) }))
        self.onFinish = onFinish
    }

    /// Fills `buffer` as far as the body goes: libmicrohttpd sends one chunk per call, and a
    /// compressed piece alone is only a few KiB.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = readPiece(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Copies what is pending (rendering the next piece first if nothing is) into `buffer`.
    private func readPiece(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let capacity = buffer.count
        // The bytes are copied out after the lock: `pending` is handed back by reference (no copy),
        // and libmicrohttpd never calls the next read before this one returns.
        let (pending, start, count, finishedSize) = state.withLock { state -> ([UInt8], Int, Int, Int?) in
            var finishedSize: Int?
            while state.sent == state.pending.count {
                guard let size = Self.renderNextPiece(&state) else { return ([], 0, 0, nil) }
                if size >= 0 { finishedSize = size }
            }
            let start = state.sent
            let count = min(capacity, state.pending.count - start)
            state.sent += count
            return (state.pending, start, count, finishedSize)
        }
        guard count > 0 else { return 0 }
        pending.withUnsafeBytes { pending in
            buffer.baseAddress!.copyMemory(from: pending.baseAddress! + start, byteCount: count)
        }
        if let finishedSize { onFinish(finishedSize) }
        return count
    }

    /// Fills `pending` with the next piece (possibly empty, when deflate holds it back). Returns nil
    /// once everything has been rendered, the total uncompressed size when this was the last
    /// piece, and -1 otherwise.
    private static func renderNextPiece(_ state: inout State) -> Int? {
        var pending: [UInt8] = []
        swap(&pending, &state.pending)
        pending.removeAll(keepingCapacity: true)
        defer {
            swap(&pending, &state.pending)
            state.sent = 0
        }
        let gzip = state.gzip
        if !state.cursor.isFinished {
            LedgerExposition.writeLabelSetFamilies(state.snapshot, cursor: &state.cursor, into: &state.writer,
                                                   untilBytes: pieceBytes)
            state.rendered += state.writer.byteCount
            if let gzip {
                state.writer.drain { gzip.compress($0, finish: false, into: &pending) }
            } else {
                state.writer.exchangeBytes(with: &pending)
            }
            return -1
        }
        guard let tail = state.tail else { return nil }
        state.tail = nil
        state.rendered += tail.count
        tail.withUnsafeBufferPointer { emit($0, last: true, gzip: gzip, into: &pending) }
        return state.rendered
    }

    private static func emit(_ piece: UnsafeBufferPointer<UInt8>, last: Bool, gzip: GzipStream?, into pending: inout [UInt8]) {
        if let gzip {
            gzip.compress(piece, finish: last, into: &pending)
        } else {
            pending.append(contentsOf: piece)
        }
    }
}
