import WardenCore

/// Policy `when:` conditions: the bytes are the condition's text. A text that parses prints to a
/// canonical form that parses to the same tree and prints the same again; a condition that
/// compiles is evaluated against a few fixed requests (extreme numbers and long labels among
/// them), and its canonical form must compile and give the same answers.
enum ExpressionFuzzing {
    static let budgetNames = ["acme-monthly", "team-daily"]
    static let variables = ExpressionVariables(schema: UsageDecoderFuzzing.schema, budgetNames: budgetNames)

    static let contexts: [ExpressionContext] = [
        ExpressionContext(provider: "openai", model: "gpt-4o", attribution: Attribution(["org": "acme", "team": "interns", "project": "p1"]),
                          estimatedInputTokens: 1_200, maxOutputTokens: 800, estimatedCost: Money(attos: 5_000_000_000_000_000_001),
                          hour: 9, minute: 30, weekday: 1, budgetRatios: [Money(attos: 850_000_000_000_000_000)]),
        ExpressionContext(provider: "", model: "", hour: 0, minute: 0, weekday: 7),
        ExpressionContext(provider: String(repeating: "É", count: 128), model: "claude-opus-4",
                          attribution: Attribution(["team": String(repeating: "ß", count: 128), "region": "eu", "user": "ǅ"]),
                          estimatedInputTokens: .max, maxOutputTokens: .max, estimatedCost: .maximum,
                          hour: 23, minute: 59, weekday: 6, budgetRatios: [.maximum, .minimum]),
        ExpressionContext(provider: "anthropic", model: "o1", estimatedInputTokens: InputBounds.maxTokenCount,
                          maxOutputTokens: InputBounds.maxTokenCount, estimatedCost: InputBounds.maxEstimatedCost,
                          hour: 20, minute: 0, weekday: 0, budgetRatios: [.zero, Money(attos: 1)]),
    ]

    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        let text = String(decoding: bytes, as: UTF8.self)
        let scalarCount = text.unicodeScalars.count
        let syntax: ExpressionSyntax
        do {
            syntax = try ExpressionSyntax(parsing: text)
        } catch {
            try require((1...scalarCount + 1).contains(error.column), "error column \(error.column) outside a text of \(scalarCount) scalars")
            return
        }
        let canonical = syntax.description
        do {
            let reparsed = try ExpressionSyntax(parsing: canonical)
            try require(reparsed.withoutColumns == syntax.withoutColumns, "the canonical form \(canonical) parses to another tree")
            try require(reparsed.description == canonical, "printing is not stable: \(canonical)")
        } catch {
            throw InvariantViolation("the canonical form \(canonical) does not parse: \(error)")
        }
        let compiled: CompiledExpression
        do {
            compiled = try CompiledExpression(parsing: text, variables: variables)
        } catch {
            try require((1...scalarCount + 1).contains(error.column), "error column \(error.column) outside a text of \(scalarCount) scalars")
            return
        }
        let answers = contexts.map { compiled.evaluate($0) }
        do {
            let recompiled = try CompiledExpression(parsing: canonical, variables: variables)
            try require(contexts.map { recompiled.evaluate($0) } == answers, "the canonical form \(canonical) answers otherwise")
        } catch {
            throw InvariantViolation("the canonical form \(canonical) does not compile: \(error)")
        }
    }
}
