/// Something in a `when:` condition that compiles but may not mean what its author intended,
/// and where: a `=~` pattern whose meaning depends on whether it is matched against the whole
/// value or searched for anywhere in it.
///
/// ``column`` is 1-based and counts Unicode scalars of the expression text, as in
/// ``ExpressionError``.
public struct ExpressionWarning: Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "column \(column): \(message)" }
}
