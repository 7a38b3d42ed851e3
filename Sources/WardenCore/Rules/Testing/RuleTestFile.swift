/// A rule unit-test file, as `tokenwarden test rules` runs it (the `promtool test rules` idea
/// applied to budgets, quotas and policies).
///
/// ```yaml
/// # Relative to this file. tokenwarden.yaml and pricing/ are read from the directory of the
/// # rule files (which must share one directory).
/// rule_files: [../budgets.yaml, ../quotas.yaml, ../policies.yaml]
/// tests:
///   - name: team budget ladder
///     start: 2026-03-01T00:00:00Z           # the clock starts here
///     steps:                                 # run in order, each on a fresh clock reading
///       # `at`: an RFC 3339 time, or `+<duration>` after the previous step (the first step:
///       # after `start`). Time never goes backwards. Before a step is applied the engine's
///       # clock is advanced to `at` (reservations expire, periods end).
///       - at: +0s
///         # usage: a POST /v1/usage event. `id` defaults to one per step, `time` to `at`;
///         # `reservation: $last` commits the reservation of the most recent check.
///         usage: {provider: openai, model: gpt-4o, input_tokens: 100_000, output_tokens: 0,
///                 attribution: {org: acme, team: search}}
///       - at: +1m
///         # check: a POST /v1/check body; priced from the catalog unless it has estimated_cost.
///         check: {provider: openai, model: gpt-4o, estimated_input_tokens: 1000, max_output_tokens: 500,
///                 attribution: {org: acme, team: search, user: u1}}
///         # Every given field must match; each listed reason must be among the check's reasons
///         # (fields: rule, kind, decision, scope, remaining; message matches a substring).
///         # reservation: true|false says whether a reservation was granted.
///         expect: {decision: warn, reasons: [{rule: team-budgets, decision: warn}]}
///       - at: +5m
///         release: $last                     # DELETE /v1/reservations/{id}
///       - at: +1d
///         # The audit rows this step produced (the clock advance included), all of them, in
///         # order; each row matches on the fields given: action, rule, kind, decision, scope,
///         # threshold (a step's `at`, e.g. 80%), observed, limit. `expect_audit: []` says
///         # "nothing happened".
///         expect_audit: [{action: threshold_crossed_down, rule: team-budgets}]
/// ```
///
/// A step does at most one of `usage`, `check` and `release`; a step with none only moves the
/// clock. `expect` belongs to a `check` step.
public struct RuleTestFile: Sendable {
    /// The file's name as messages print it.
    public var file: String
    /// The rule files as written (relative to the test file's directory unless absolute).
    public var ruleFiles: [String]
    public var tests: [RuleTestCase]

    public init(file: String, ruleFiles: [String], tests: [RuleTestCase]) {
        self.file = file
        self.ruleFiles = ruleFiles
        self.tests = tests
    }
}

/// One named scenario: a clock start and the steps to replay against a fresh engine.
public struct RuleTestCase: Sendable {
    public var name: String
    /// Line of the test's entry in the file, for messages.
    public var line: Int
    public var start: Timestamp
    public var steps: [RuleTestStep]

    public init(name: String, line: Int, start: Timestamp, steps: [RuleTestStep]) {
        self.name = name
        self.line = line
        self.start = start
        self.steps = steps
    }
}

/// One moment of a test: the clock moves to ``time``, then ``action`` runs and the expectations
/// are compared with what it produced.
public struct RuleTestStep: Sendable {
    /// What the step does once the clock has moved.
    public enum Action: Sendable {
        /// Only move the clock.
        case advance
        /// Record a usage event; its `reservation` may be ``RuleTestStep/lastReservation``.
        case usage(UsageEvent)
        /// A pre-flight check; `explicitCost` when the body carried `estimated_cost` (not priced).
        case check(CheckRequest, explicitCost: Bool)
        /// Release a reservation by id, or ``RuleTestStep/lastReservation``.
        case release(String)
    }

    /// The placeholder for "the reservation the most recent check was granted".
    public static let lastReservation = "$last"

    /// Position in the test's `steps` (0-based, as in `steps[2]`).
    public var index: Int
    public var line: Int
    public var time: Timestamp
    public var action: Action
    public var expect: ExpectedDecision?
    /// nil: audit rows are not checked at this step; empty: none may be produced.
    public var expectAudit: [ExpectedAuditRow]?

    public init(index: Int, line: Int, time: Timestamp, action: Action, expect: ExpectedDecision? = nil,
                expectAudit: [ExpectedAuditRow]? = nil) {
        self.index = index
        self.line = line
        self.time = time
        self.action = action
        self.expect = expect
        self.expectAudit = expectAudit
    }
}
