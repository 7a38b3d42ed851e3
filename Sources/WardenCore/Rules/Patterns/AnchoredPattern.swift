/// A regular expression that the whole value must match (PromQL semantics: `^…$` is implied),
/// compiled once when the rules load. Scope matchers (`{regex: "search-.*"}`) and the `=~` and
/// `!~` operators of policy conditions both use it.
///
/// The syntax is RE2's without the features that need backtracking (see ``PatternParser``), and
/// matching always takes time linear in the value: a pattern like `(a+)+$` cannot stall the
/// engine, whatever the value. Values are matched by Unicode scalar: `.` is one scalar (line
/// breaks included), and `é` written as one scalar does not match `e` followed by a combining
/// accent.
///
/// Why not Swift's `Regex`: it backtracks, so a hostile value can make one match take minutes
/// inside the engine's lock, and even a harmless pattern costs several microseconds per match,
/// more than a whole decision's budget. Common literal shapes run on byte comparisons
/// (``LiteralShape``); everything else runs on a Thompson NFA (``PatternProgram``), as bit sets
/// of live states (``StateBitsets``) when it is small enough.
public struct AnchoredPattern: Sendable {
    /// One reference, so that copying a pattern (into a condition, per budget) retains once.
    private final class Compiled: Sendable {
        let source: String
        let shape: LiteralShape?
        let program: PatternProgram
        let meansTheSameWhenSearched: Bool

        init(source: String, syntax: PatternSyntax) {
            self.source = source
            shape = LiteralShape(syntax)
            program = PatternProgram(syntax)
            meansTheSameWhenSearched = syntax.meansTheSameWhenSearched
        }
    }

    private let compiled: Compiled

    /// The pattern as written.
    public var source: String { compiled.source }

    /// Compiles `pattern`; a syntax the matcher does not accept is an error at its offset.
    public init(_ pattern: String) throws(PatternError) {
        compiled = Compiled(source: pattern, syntax: try PatternParser.parse(pattern))
    }

    /// Whether all of `value` matches.
    public func matches(_ value: String) -> Bool {
        // Native strings (everything decoded from a request or a rule file) are contiguous UTF-8.
        if let result = value.utf8.withContiguousStorageIfAvailable({ matches(bytes: $0) }) {
            return result
        }
        var copy = value
        return copy.withUTF8 { matches(bytes: $0) }
    }

    private func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let shape = compiled.shape { return shape.matches(bytes) }
        var work = 0
        return compiled.program.matches(bytes, work: &work)
    }

    /// Whether searching for this pattern anywhere in a value would give the same answers as
    /// matching the whole value: the pattern begins with `^` or `.*` and ends with `$` or `.*`.
    public var meansTheSameWhenSearched: Bool { compiled.meansTheSameWhenSearched }

    /// Whether the pattern runs on byte comparisons rather than the NFA.
    var isFastPath: Bool { compiled.shape != nil }

    /// The NFA's answer, even for a pattern with a fast path, and the number of states or
    /// instructions it visited (at most `2 × (scalars + 1) × programSize`).
    func matchOnProgram(_ value: String) -> (matched: Bool, work: Int) {
        var copy = value
        var work = 0
        let matched = copy.withUTF8 { compiled.program.matches($0, work: &work) }
        return (matched, work)
    }

    /// The answer of the plain simulation, which programs too large for ``StateBitsets`` use.
    func matchBySimulation(_ value: String) -> (matched: Bool, work: Int) {
        var copy = value
        var work = 0
        let matched = copy.withUTF8 { compiled.program.simulate($0, work: &work) }
        return (matched, work)
    }

    /// Whether the NFA runs on precomputed state sets (``StateBitsets``).
    var hasBitsets: Bool { compiled.program.bitsets != nil }

    /// 64-bit words per state set on ``StateBitsets``: 1 or 4; nil without them.
    var bitsetWords: Int? { compiled.program.bitsets?.words }

    /// The number of NFA instructions, including the final match.
    var programSize: Int { compiled.program.instructions.count }
}
