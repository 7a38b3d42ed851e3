/// A storage failure, with a message an operator can act on.
///
/// A struct wrapping a private code, so new kinds of failure don't break callers' switches.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    enum Code: Sendable {
        case open
        case write
        case read
        case corrupt
        case closed
    }

    let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// True when the store is shutting down and took no more work.
    public var isClosed: Bool { code == .closed }

    public var description: String { message }
}
