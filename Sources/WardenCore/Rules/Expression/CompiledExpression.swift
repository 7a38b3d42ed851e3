/// A `when:` condition of a governance rule, parsed, type-checked and ready to evaluate.
///
/// # The condition language
///
/// A condition is a small boolean expression over the pre-flight request:
///
/// ```
/// team == "interns" && model =~ "^(gpt-4|claude-opus).*"
/// estimated_cost > 5.00
/// !has(attribution.project)
/// weekday in ["saturday", "sunday"] || hour < 8 || hour >= 20
/// budget_ratio("acme-monthly") >= 0.85 && lower(provider) != "local"
/// ```
///
/// ## Grammar
///
/// ```
/// condition  = or
/// or         = and { "||" and }
/// and        = comparison { "&&" comparison }
/// comparison = unary [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~" | "in" ) unary ]
/// unary      = "!" unary | primary
/// primary    = string | number | "true" | "false" | name | name "(" [ arguments ] ")"
///            | "(" condition ")" | "[" [ arguments ] "]"
/// arguments  = condition { "," condition } [ "," ]
/// name       = [A-Za-z_][A-Za-z0-9_]* { "." [A-Za-z_][A-Za-z0-9_]* }
/// string     = '"' { character | "\\\"" | "\\\\" | "\\n" | "\\t" | "\\u" 4 hex digits } '"'
/// number     = [ "-" ] digits [ "." digits ]      (digits may use "_" between digits: 20_000)
/// ```
///
/// Precedence, tightest first: `!`; the comparisons, `=~`, `!~` and `in`; `&&`; `||`.
/// `&&` and `||` associate to the left. Comparisons do not chain: `a == b == c` is an error
/// (write `(a == b) == c` if that is really meant). Spaces, tabs and newlines separate tokens.
/// A condition may nest at most 64 levels deep (parentheses, `!`, operators, calls).
///
/// ## Values and types
///
/// There are three types: strings, numbers and true/false. Numbers are exact decimals with up
/// to 18 decimal places (never binary floating point): `estimated_cost > 5.00` is true for a
/// cost of 5.000000000000000001, and `0.1 + 0.2`-style surprises cannot happen. Token counts,
/// clock fields, costs and ratios all compare as the same kind of number.
///
/// ## Variables
///
/// | name | type | meaning |
/// |------|------|---------|
/// | `provider` | string | provider of the request, e.g. `"openai"` |
/// | `model` | string | model name as requested |
/// | `team`, `project`, … | string, may be absent | every attribution key of the deployment, by its bare name |
/// | `attribution.<key>` | string, may be absent | the same label, always reaching the attribution even when the key's bare name is also a built-in variable (an extra key named `model` is only reachable as `attribution.model`) |
/// | `estimated_input_tokens` | number | estimated prompt tokens |
/// | `max_output_tokens` | number | the request's output token limit |
/// | `estimated_tokens` | number | `estimated_input_tokens + max_output_tokens` |
/// | `estimated_cost` | number | estimated cost in currency units (e.g. dollars) |
/// | `hour` | number | 0–23, in the rule's evaluation time zone |
/// | `minute` | number | 0–59, in the rule's evaluation time zone |
/// | `weekday` | string | `"monday"` … `"sunday"`, in the rule's evaluation time zone; a literal compared with it must be one of those names |
///
/// A name that is not a variable is an error when the rule loads, with a suggestion for near
/// misses (`unknown variable "teem" (did you mean "team"?)`).
///
/// ## Functions
///
/// | call | type | meaning |
/// |------|------|---------|
/// | `has(name)` | true/false | whether the attribution label `name` is present (always true for the built-in variables) |
/// | `budget_ratio("name")` | number | spent ÷ limit of the named budget in its current period, e.g. 0.85; 0 when it has no data yet. The name must be a configured budget |
/// | `lower(s)` | string | `s` in lower case (Unicode); absent stays absent |
/// | `starts_with(s, prefix)` | true/false | whether `s` begins with `prefix` (compared by Unicode scalars); false when either is absent |
///
/// ## Operators
///
/// - `==` and `!=` compare two values of the same type. Strings compare with Swift's string
///   equality (Unicode canonical equivalence); case matters (use `lower()`).
/// - `<`, `<=`, `>`, `>=` compare numbers only.
/// - `s =~ "regex"` is true when the regular expression matches **the whole of** `s`, as in
///   PromQL and as scope regexes do (`^` and `$` are implied): `model =~ "o1"` matches `o1`, not
///   `o1-pro`; write `".*o1.*"` to find `o1` anywhere. `!~` is its negation. The right side must
///   be a string literal, compiled when the rule loads; an invalid pattern is a load error
///   pointing at the offending character. The syntax is RE2's (see ``AnchoredPattern``), matched
///   by Unicode scalars in time linear in the value. Literals, alternations of literals, and
///   those preceded or followed by `.*` run on byte comparisons (tens of nanoseconds); any other
///   pattern runs on an NFA (well under a microsecond for a short value). A pattern that does not
///   begin with `^` or `.*` and end with `$` or `.*` gets a warning from `check rules`, since it
///   would mean something else as a search.
/// - `x in [a, b, c]` is true when `x` equals one of the literals in the list, which must
///   have `x`'s type. An empty list gives false.
/// - `!`, `&&`, `||` take true/false operands.
///
/// Using an operator on the wrong type (`team > 3`, `estimated_cost == "5"`, `!team`) is an
/// error when the rule loads: every variable has a known type, so no type error is left for
/// evaluation time.
///
/// ## Absent labels
///
/// An attribution label the request does not carry is *absent*, which is not the same as the
/// empty string. Any `==`, `=~`, `in` or `starts_with` with an absent operand is false; `!=` and
/// `!~` are always the exact negations of `==` and `=~`, so they are true. Thus, for a request
/// without a team, `team == "interns"` is false and `team != "interns"` is true. Test for
/// presence with `has(team)`, and write `has(team) && team != "interns"` to require the label.
///
/// ## Evaluation order
///
/// Evaluation is deterministic and has no side effects. `&&` and `||` evaluate their left
/// operand first and skip the right one when the left decides the result (`false && …`,
/// `true || …`); every other operator evaluates its left operand, then its right. Order
/// therefore only affects speed: put cheap, selective tests before regular expressions.
public struct CompiledExpression: Sendable, CustomStringConvertible {
    /// The text the condition was parsed from.
    public let source: String
    /// The parsed tree, with columns into ``source``.
    public let syntax: ExpressionSyntax
    private let condition: CompiledCondition

    /// Parses and type-checks `text`; errors carry the 1-based column (Unicode scalars) of
    /// the offending token.
    public init(parsing text: String, variables: ExpressionVariables) throws(ExpressionError) {
        source = text
        syntax = try ExpressionParser.parse(text)
        condition = try ExpressionChecker(variables: variables, source: text).compile(syntax)
        warnings = ExpressionChecker.patternWarnings(in: syntax)
    }

    /// What compiles but may not mean what was intended (see ``ExpressionWarning``), in text order.
    public let warnings: [ExpressionWarning]

    /// Whether the request matches. Allocation-free except for `lower()` on long strings.
    public func evaluate(_ context: borrowing ExpressionContext) -> Bool {
        condition.evaluate(context)
    }

    /// The evaluable tree alone: what the rule engine keeps per policy for its check path.
    var compiled: CompiledCondition { condition }

    /// The budgets (by position in ``ExpressionVariables/budgetNames``) whose ratio the
    /// condition reads.
    var budgetRatioIndices: [Int] { condition.budgetRatioIndices }

    /// The canonical rendering of the condition (see ``ExpressionSyntax/description``).
    public var description: String { syntax.description }
}
