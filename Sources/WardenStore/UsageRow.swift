import GRDBSQLite
import WardenCore
import WardenFormats

/// One `usage_event` row, rendered on the request thread so the writer thread only binds bytes.
///
/// Why: the single writer thread bounds ingest, and GRDB's general binding (an array of boxed
/// `DatabaseValue`s per row, strings converted at bind time) was ~20% of a group commit. Here the
/// text columns are laid out once in one byte buffer — the attribution JSON and the exact cost
/// decimal included — and bound with `sqlite3_bind_text(..., SQLITE_STATIC)` straight from it.
struct UsageRow: Sendable {
    /// The text columns, back to back.
    private var text: [UInt8] = []
    /// Per text column (in ``textColumns`` order): start offset and length; length -1 is NULL.
    private var spans: [Int32] = []
    private var integers: (time: Int64, received: Int64, input: Int64, output: Int64, cacheRead: Int64,
                           cacheCreation: Int64, reasoning: Int64, priced: Int64, audioInput: Int64, audioOutput: Int64,
                           images: Int64, audioInputMicros: Int64, audioOutputMicros: Int64)

    /// The event's id, for the duplicate lookup.
    let id: String

    /// Parameter numbers of the text columns in ``UsageWriter/insertSQL``, in the order they are laid out.
    private static let textColumns: [Int32] = [1, 4, 5, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 27, 28]

    init(_ priced: PricedEvent, receivedAt: Timestamp) {
        let event = priced.event
        let tokens = event.tokens
        id = event.id
        integers = (priced.time.nanosecondsSinceEpoch, receivedAt.nanosecondsSinceEpoch, tokens.input, tokens.output,
                    tokens.cacheRead, tokens.cacheCreation, tokens.reasoning, priced.priced ? 1 : 0,
                    tokens.audioInput, tokens.audioOutput, event.media.images, event.media.audioInputSeconds.microseconds,
                    event.media.audioOutputSeconds.microseconds)
        text.reserveCapacity(160 + event.id.utf8.count + 2 * event.attribution.labels.count * 24)
        spans.reserveCapacity(2 * Self.textColumns.count)
        append(event.id)
        append(event.provider)
        append(event.model)
        append(priced.cost.exactDecimal)
        append(priced.currency)
        let attribution = event.attribution
        for key in UsageWriter.standardColumns { append(attribution[key]) }
        var json = JSONWriter(reservingCapacity: 16 + attribution.labels.count * 32)
        json.beginObject()
        for label in attribution.labels {
            json.key(label.key)
            json.string(label.value)
        }
        json.endObject()
        appendBytes(json.bytes)
        append(event.reservation)
        append(event.media.imageSize)
        append(event.media.imageQuality)
        if text.isEmpty { text.append(0) }  // a valid base pointer even when every column is empty
    }

    private mutating func append(_ value: String?) {
        guard let value else {
            spans.append(Int32(text.count))
            spans.append(-1)
            return
        }
        spans.append(Int32(text.count))
        text.append(contentsOf: value.utf8)
        spans.append(Int32(text.count) - spans[spans.count - 1])
    }

    private mutating func appendBytes(_ bytes: [UInt8]) {
        spans.append(Int32(text.count))
        text.append(contentsOf: bytes)
        spans.append(Int32(bytes.count))
    }

    /// Binds the row to the insert statement and steps it once. Returns SQLite's result code
    /// (`SQLITE_DONE` on success); the statement is reset either way.
    func insert(with statement: OpaquePointer) -> Int32 {
        text.withUnsafeBufferPointer { buffer -> Int32 in
            let base = buffer.baseAddress!
            for (position, column) in Self.textColumns.enumerated() {
                let start = Int(spans[2 * position])
                let length = spans[2 * position + 1]
                if length < 0 {
                    sqlite3_bind_null(statement, column)
                } else {
                    // SQLITE_STATIC (a nil destructor): the buffer outlives the step below.
                    let pointer = UnsafeRawPointer(base + start).assumingMemoryBound(to: CChar.self)
                    sqlite3_bind_text(statement, column, pointer, length, nil)
                }
            }
            sqlite3_bind_int64(statement, 2, integers.time)
            sqlite3_bind_int64(statement, 3, integers.received)
            sqlite3_bind_int64(statement, 6, integers.input)
            sqlite3_bind_int64(statement, 7, integers.output)
            sqlite3_bind_int64(statement, 8, integers.cacheRead)
            sqlite3_bind_int64(statement, 9, integers.cacheCreation)
            sqlite3_bind_int64(statement, 10, integers.reasoning)
            sqlite3_bind_int64(statement, 13, integers.priced)
            sqlite3_bind_int64(statement, 24, integers.audioInput)
            sqlite3_bind_int64(statement, 25, integers.audioOutput)
            sqlite3_bind_int64(statement, 26, integers.images)
            sqlite3_bind_int64(statement, 29, integers.audioInputMicros)
            sqlite3_bind_int64(statement, 30, integers.audioOutputMicros)
            let result = sqlite3_step(statement)
            sqlite3_reset(statement)
            return result
        }
    }
}
