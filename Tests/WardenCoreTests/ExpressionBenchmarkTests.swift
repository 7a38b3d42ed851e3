import Foundation
import Testing
import WardenCore

/// Measures (never asserts) how long a compiled condition takes to evaluate. Off by default; run
/// with `TOKENWARDEN_BENCH=1 swift test -c release --filter ExpressionBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TOKENWARDEN_BENCH"] == "1"))
struct ExpressionBenchmarkTests {
    /// Best-of-`rounds` nanoseconds per evaluation.
    private func nanosecondsPerEvaluation(_ expression: CompiledExpression, _ context: ExpressionContext, iterations: Int = 200_000) -> (Double, Int) {
        var matches = 0
        for _ in 0..<1_000 where expression.evaluate(context) { matches += 1 }
        var best = Duration.seconds(1_000)
        for _ in 0..<7 {
            let elapsed = ContinuousClock().measure {
                for _ in 0..<iterations where expression.evaluate(context) { matches += 1 }
            }
            best = min(best, elapsed)
        }
        let nanoseconds = Double(best.components.seconds) * 1e9 + Double(best.components.attoseconds) / 1e9
        return (nanoseconds / Double(iterations), matches)
    }

    @Test func measureEvaluationOfTheReferenceExamples() throws {
        let matching = ExpressionFixtures.request()
        let other = ExpressionFixtures.request(model: "gpt-3.5-turbo", team: "research", project: "atlas", cost: "5")
        var lines: [String] = []
        let extra = [
            #"model =~ "^gpt-[0-9]+o?$""#,
            #"weekday in ["saturday", "sunday"] || hour < 8 || hour >= 20"#,
            #"budget_ratio("acme-monthly") >= 0.85 && lower(provider) != "local""#,
        ]
        for text in ExpressionFixtures.referenceExamples + extra {
            let expression = try ExpressionFixtures.compile(text)
            let (hit, _) = nanosecondsPerEvaluation(expression, matching)
            let (miss, _) = nanosecondsPerEvaluation(expression, other, iterations: text.contains("[0-9]") ? 20_000 : 200_000)
            lines.append("  \(String(Int(hit.rounded())).padding(toLength: 6, withPad: " ", startingAt: 0)) / \(String(Int(miss.rounded())).padding(toLength: 6, withPad: " ", startingAt: 0)) ns   \(text)")
        }
        print("condition evaluation, ns (matching request / other request):\n" + lines.joined(separator: "\n"))
    }
}
