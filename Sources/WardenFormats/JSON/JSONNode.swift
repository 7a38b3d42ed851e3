import WardenCore

/// One entry of the flat "tape" a ``JSONParser`` writes: a value's kind and where its bytes are.
///
/// Why a tape rather than a tree of enums: a request body of 100 events becomes one array of
/// 20-byte entries (no per-value allocation, no recursion to walk it), strings and numbers stay
/// as byte ranges until someone asks for them, and a container's ``next`` lets a reader skip a
/// whole subtree in O(1). Offsets are `UInt32`, which caps a parsed buffer at 4 GiB; request
/// bodies are limited long before that.
struct JSONNode: Sendable {
    enum Kind: UInt8, Sendable {
        case object, array, string, number, `true`, `false`, null
    }

    /// ``Kind/string``: set when the string contains a backslash escape (so its bytes cannot be
    /// used as-is). ``Kind/number``: set when the text has neither fraction nor exponent.
    static let flagEscaped: UInt8 = 1
    static let flagPlainInteger: UInt8 = 1

    var kind: Kind
    var flags: UInt8
    /// Strings: first byte after the opening quote. Others: first byte of the value.
    var start: UInt32
    /// Strings: offset of the closing quote. Others: one past the last byte of the value. While a
    /// container is still open the parser keeps its parent's ``JSONFieldSelection/Place`` here instead.
    var end: UInt32
    /// Tape index just past this value's subtree (for scalars, the next index). While a
    /// container is still open the parser keeps its parent's index here instead.
    var next: UInt32
    /// Containers: number of elements, or of members for an object (of those kept, when the
    /// parse selects members: ``JSONFieldSelection``). While a container is still
    /// open the parser keeps its parent's running count here instead.
    var count: UInt32

    init(kind: Kind, flags: UInt8 = 0, start: Int, end: Int, next: UInt32, count: UInt32 = 0) {
        self.kind = kind
        self.flags = flags
        self.start = UInt32(truncatingIfNeeded: start)
        self.end = UInt32(truncatingIfNeeded: end)
        self.next = next
        self.count = count
    }

    var isEscaped: Bool { flags & JSONNode.flagEscaped != 0 }
    var isPlainInteger: Bool { flags & JSONNode.flagPlainInteger != 0 }
    var byteCount: Int { Int(end) - Int(start) }
}
