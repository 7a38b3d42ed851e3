/// Why a regular expression was refused, and where in it.
///
/// ``offset`` counts Unicode scalars from the start of the pattern (0 is its first character),
/// so the rule-file reader can point at the offending character inside the YAML scalar or the
/// `when:` condition that holds the pattern.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0-based, in Unicode scalars of the pattern.
    public var offset: Int
    /// What is wrong, in words a rule author can act on.
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) (at character \(offset + 1) of the pattern)" }
}
