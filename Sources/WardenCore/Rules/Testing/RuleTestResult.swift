/// How one rule test went: passed, or every mismatch it found.
public struct RuleTestResult: Sendable {
    public var name: String
    public var failures: [RuleTestFailure]

    public var passed: Bool { failures.isEmpty }

    public init(name: String, failures: [RuleTestFailure]) {
        self.name = name
        self.failures = failures
    }

    /// `PASS name`, or `FAIL name` followed by one indented line per failure.
    public var report: String {
        guard !passed else { return "PASS \(name)" }
        return (["FAIL \(name)"] + failures.map { "  \($0)" }).joined(separator: "\n")
    }
}

/// One expectation that did not hold (or one step that could not run), located at its step.
public struct RuleTestFailure: Sendable, CustomStringConvertible {
    /// The step's position in `steps` (0-based).
    public var step: Int
    public var line: Int
    public var time: Timestamp
    public var message: String

    public init(step: Int, line: Int, time: Timestamp, message: String) {
        self.step = step
        self.line = line
        self.time = time
        self.message = message
    }

    /// `steps[1] (line 14, 2026-03-01T00:01:00Z): decision: expected warn, got allow (...)`.
    public var description: String { "steps[\(step)] (line \(line), \(time)): \(message)" }
}
