import WardenCore

/// Shared fixtures for the condition-language tests.
enum ExpressionFixtures {
    static let variables = ExpressionVariables(
        attributionKeys: AttributionSchema.standard.allowedKeys, budgetNames: ["acme-monthly", "team-daily"])

    /// An intern's GPT-4 request on a Wednesday afternoon, costing a little over 5.
    static func request(
        model: String = "gpt-4o", team: String? = "interns", project: String? = nil,
        cost: String = "5.000000000000000001", weekday: Int = 3, hour: Int = 14,
        budgetRatios: [String] = ["0.85"]
    ) -> ExpressionContext {
        var attribution = Attribution()
        attribution["team"] = team
        attribution["project"] = project
        return ExpressionContext(
            provider: "openai", model: model, attribution: attribution,
            estimatedInputTokens: 1_200, maxOutputTokens: 800, estimatedCost: try! Money(exactly: cost),
            hour: hour, minute: 30, weekday: weekday, budgetRatios: budgetRatios.map { try! Money(exactly: $0) })
    }

    static func compile(_ text: String) throws(ExpressionError) -> CompiledExpression {
        try CompiledExpression(parsing: text, variables: variables)
    }

    /// Evaluates `text` against `context`; a compile error fails the calling test.
    static func evaluate(_ text: String, _ context: ExpressionContext = request()) throws -> Bool {
        try compile(text).evaluate(context)
    }

    /// The error `text` fails to compile with, or nil if it compiles.
    static func error(_ text: String) -> ExpressionError? {
        do throws(ExpressionError) {
            _ = try compile(text)
            return nil
        } catch {
            return error
        }
    }

    static let referenceExamples = [
        #"team == "interns" && model =~ "^(gpt-4|claude-opus).*""#,
        "estimated_cost > 5.00",
        "!has(project)",
        #"model =~ "gpt-4.*" && team == "interns""#,
        "!has(attribution.project)",
    ]
}
