import ArgumentParser
import Foundation
import WardenCore
import WardenRuntime

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run unit tests for files you write.",
        subcommands: [TestRules.self]
    )
}

struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Run rule unit tests: usage and checks at given times against budgets, quotas and policies.",
        discussion: """
            Each FILE lists rule_files (relative to it; tokenwarden.yaml and pricing/ come from their directory) \
            and tests: a start time and steps, each at a time (RFC 3339 or +duration after the previous step) \
            recording usage, making a check, or releasing a reservation, with the decision and audit rows \
            expected. See Rules/tests/ for examples and RuleTestFile for the format.

            Prints PASS or FAIL per test, each failure with its step, line and what was expected and got. \
            Exits 0 when every test passes, 1 when one fails, 2 when a file cannot be read or is invalid \
            (printed as file:line:col: message).
            """
    )

    @Argument(help: "Rule test files (YAML).")
    var files: [String]

    func run() throws {
        var failed = 0, passed = 0, broken = 0
        for path in files {
            let loaded: LoadedRuleTest
            do {
                loaded = try RuleTestLoader.load(testFile: path, zoneInfo: .fromEnvironment)
            } catch {
                for message in error.messages { printError(message) }
                broken += 1
                continue
            }
            for result in loaded.runner.run(loaded.file) {
                print(result.report)
                if result.passed { passed += 1 } else { failed += 1 }
            }
        }
        var summary = "\(passed + failed) tests in \(files.count) \(files.count == 1 ? "file" : "files"): \(passed) passed, \(failed) failed"
        if broken > 0 { summary += ", \(broken) \(broken == 1 ? "file" : "files") with errors" }
        print(summary)
        if broken > 0 { throw ExitCode(2) }
        if failed > 0 { throw ExitCode(1) }
    }
}
