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
        /// The audit key is missing or is not the one the audit log was written with.
        case key
    }

    let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// True when the store is shutting down and took no more work.
    public var isClosed: Bool { code == .closed }

    /// True when the audit key is missing or does not match the audit log (a configuration
    /// problem, unlike a log that was tampered with).
    public var isKeyProblem: Bool { code == .key }

    public var description: String { message }
}
