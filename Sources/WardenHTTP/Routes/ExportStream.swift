import Synchronization

/// An export body read from the store a batch of rows at a time while libmicrohttpd sends it.
///
/// Why: `/v1/usage.csv` takes up to a million rows, and building the whole body first held the
/// rows several times over (the events, their cells, the text, its bytes) — hundreds of MB for
/// one request. Here the server holds one batch and its rendering at a time.
///
/// Each batch is its own short read of the store, continuing after the last `seq` sent (keyset
/// pagination), so no read transaction stays open while a slow client drains the socket. Both
/// logs only grow at the end (audit pruning aside), so the rows are those a single read would
/// have returned, bounded by what the route decided before the first byte (see ``ExportPager``).
final class ExportStream: HTTPBodyStream {
    private struct State {
        var pending: [UInt8]
        var sent = 0
        var produce: (@Sendable () throws -> [UInt8]?)?
    }

    private let state: Mutex<State>

    /// `head` is sent first; then `produce` is asked for more until it returns nil. A throw ends
    /// the response as a failed transfer (the client sees a truncated body, never a short one that
    /// looks complete).
    init(head: [UInt8], produce: @escaping @Sendable () throws -> [UInt8]?) {
        state = Mutex(State(pending: head, produce: produce))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        state.withLock { state in
            while state.sent == state.pending.count {
                guard let produce = state.produce else { return 0 }
                do {
                    if let next = try produce() {
                        state.pending = next
                        state.sent = 0
                    } else {
                        state.produce = nil
                        return 0
                    }
                } catch {
                    state.produce = nil
                    return HTTPBodyStreamFailure.code
                }
            }
            let count = min(buffer.count, state.pending.count - state.sent)
            state.pending.withUnsafeBytes { pending in
                buffer.baseAddress!.copyMemory(from: pending.baseAddress! + state.sent, byteCount: count)
            }
            state.sent += count
            return count
        }
    }
}

/// Rows of an export in batches, after a cursor and up to a limit: the store's side of an
/// ``ExportStream``.
struct ExportPager<Row>: Sendable {
    /// Rows recorded after `after` and at or before `through`, at most `count` of them, in `seq` order.
    let fetch: @Sendable (_ after: Int64?, _ through: Int64?, _ count: Int) throws -> [Row]
    let seq: @Sendable (Row) -> Int64
    /// Rows still to send.
    var remaining: Int
    var after: Int64?
    /// The last row the export may send, when decided before it began (see ``ExportResponse/csv``).
    var throughSeq: Int64?
    /// Rows per store read: enough to make each read cheap per row, small enough to stay a few
    /// hundred KB of memory.
    static var batchSize: Int { 1000 }

    init(after: Int64?, limit: Int, fetch: @escaping @Sendable (_ after: Int64?, _ through: Int64?, _ count: Int) throws -> [Row],
         seq: @escaping @Sendable (Row) -> Int64) {
        self.after = after
        self.remaining = limit
        self.fetch = fetch
        self.seq = seq
    }

    /// The next batch; empty once the limit is reached or the rows run out.
    mutating func next() throws -> [Row] {
        guard remaining > 0 else { return [] }
        let rows = try fetch(after, throughSeq, min(Self.batchSize, remaining))
        remaining -= rows.count
        if let last = rows.last { after = seq(last) }
        if rows.count < min(Self.batchSize, remaining + rows.count) { remaining = 0 }
        return rows
    }
}
