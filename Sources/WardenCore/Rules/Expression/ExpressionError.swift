/// Why a `when:` condition could not be parsed or type-checked, and where.
///
/// ``column`` is 1-based and counts Unicode scalars of the expression text, so the rule-file
/// loader can turn it into `file:line:col` by adding the position of the YAML scalar.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based column, in Unicode scalars of the expression text.
    public var column: Int
    /// What is wrong, in words a rule author can act on.
    public var message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "column \(column): \(message)" }
}
