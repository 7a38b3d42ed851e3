import WardenCore

/// Policy-condition evaluation in process: the time a compiled `when:` expression takes against
/// an intern's GPT-4o request without a project and against another team's request; the value
/// says whether each matched (a condition that does not match often stops at its first operand).
///
/// The conditions are the reference examples of the condition language plus a regex, a calendar
/// and a budget-ratio condition. There is no baseline: a condition runs once per policy per
/// check, so these rows show how much of the check's budget (``CheckBenchmark``) one costs.
struct ConditionBenchmark {
    static let conditions = [
        #"team == "interns" && model =~ "^(gpt-4|claude-opus).*""#,
        "estimated_cost > 5.00",
        "!has(project)",
        #"model =~ "gpt-4.*" && team == "interns""#,
        "!has(attribution.project)",
        #"model =~ "^gpt-[0-9]+o?$""#,
        #"weekday in ["saturday", "sunday"] || hour < 8 || hour >= 20"#,
        #"budget_ratio("acme-monthly") >= 0.85 && lower(provider) != "local""#,
    ]

    static let variables = ExpressionVariables(
        attributionKeys: AttributionSchema.standard.allowedKeys, budgetNames: ["acme-monthly", "team-daily"])

    func run(into table: inout ResultTable) {
        let intern = Self.request(model: "gpt-4o", team: "interns", project: nil, cost: "5.000000000000000001")
        let other = Self.request(model: "gpt-3.5-turbo", team: "research", project: "atlas", cost: "5")
        for text in Self.conditions {
            do {
                let condition = try CompiledExpression(parsing: text, variables: Self.variables)
                // A regex over a non-matching model backtracks: fewer evaluations keep the round short.
                let iterations = text.contains("[0-9]") ? 20_000 : 200_000
                var timings: [String] = []
                var medians: [String] = []
                for request in [intern, other] {
                    var matches = 0
                    let timing = OperationTiming.measure(operations: iterations) {
                        for _ in 0..<iterations where condition.evaluate(request) { matches &+= 1 }
                    }
                    timings.append("\(Format.nanoseconds(timing.fastest)) ns (\(matches > 0 ? "match" : "no match"))")
                    medians.append(Format.nanoseconds(timing.median))
                }
                table.add(.init(metric: "condition \(text) (in-process)",
                                value: "intern's request " + timings[0] + ", other " + timings[1],
                                baseline: "median \(medians[0]) / \(medians[1]) ns"))
            } catch {
                table.failed("condition \(text) (in-process)", error)
            }
        }
    }

    /// A request on a Wednesday at 14:30 with the acme-monthly budget at 85%.
    static func request(model: String, team: String?, project: String?, cost: String) -> ExpressionContext {
        var attribution = Attribution()
        attribution["team"] = team
        attribution["project"] = project
        return ExpressionContext(
            provider: "openai", model: model, attribution: attribution,
            estimatedInputTokens: 1_200, maxOutputTokens: 800, estimatedCost: try! Money(exactly: cost),
            hour: 14, minute: 30, weekday: 3, budgetRatios: [try! Money(exactly: "0.85")])
    }
}
