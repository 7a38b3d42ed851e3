/// A parsed regular expression: what it matches, without how it was spelt.
///
/// Groups leave no node (nothing is captured, so `(ab)c` and `abc` are the same tree), nested
/// concatenations are flattened, and a class of one scalar (`[.]`) is that scalar, so that the
/// literal shapes ``LiteralShape`` recognises are found however they were written.
indirect enum PatternSyntax: Equatable, Sendable {
    /// Matches the empty string: an empty pattern, group or alternative.
    case empty
    case scalar(Unicode.Scalar)
    /// A character class, `.` (``ScalarSet/all``) or an escape such as `\d`.
    case set(ScalarSet)
    /// `^`: true only before the first scalar of the value.
    case start
    /// `$`: true only after the last scalar of the value.
    case end
    /// At least two items, none of them a concatenation or ``empty``.
    case concatenation([PatternSyntax])
    /// At least two alternatives.
    case alternation([PatternSyntax])
    /// `*` is `min: 0, max: nil`, `+` is `1, nil`, `?` is `0, 1`, `{n,m}` is `n, m`.
    case repetition(PatternSyntax, min: Int, max: Int?)

    /// `.*`: any run of scalars.
    static let anything = PatternSyntax.repetition(.set(.all), min: 0, max: nil)

    /// The items of a concatenation, or the node alone.
    var items: [PatternSyntax] {
        switch self {
        case .concatenation(let items): return items
        case .empty: return []
        default: return [self]
        }
    }

    /// Whether searching for the pattern anywhere in a value and matching it against the whole
    /// value give the same answer for every value: true when the pattern is one concatenation
    /// that begins with `^` or `.*` and ends with `$` or `.*` (a search for `x` is a whole match
    /// of `.*(x).*`, and `.*` next to an anchor at its end of the value adds nothing).
    var meansTheSameWhenSearched: Bool {
        if case .alternation = self { return false }
        guard let first = items.first, let last = items.last else { return false }
        return (first == .start || first == .anything) && (last == .end || last == .anything)
    }
}
