import Testing
import WardenCore

/// What conditions mean: the reference examples, precedence, absent labels, exact numbers.
@Suite struct ExpressionEvaluationTests {
    private typealias F = ExpressionFixtures

    @Test func referenceExamplesMatchAnInternsGPT4RequestWithoutProject() throws {
        for example in F.referenceExamples {
            #expect(try F.evaluate(example), "\(example)")
        }
    }

    @Test func referenceExamplesRejectOtherRequests() throws {
        let other = F.request(model: "gpt-3.5-turbo", team: "research", project: "atlas", cost: "5")
        for example in F.referenceExamples {
            #expect(try !F.evaluate(example, other), "\(example)")
        }
    }

    @Test func regexMatchesTheWholeValue() throws {
        #expect(try F.evaluate(#"model =~ "o1""#, F.request(model: "o1")))
        #expect(try !F.evaluate(#"model =~ "o1""#, F.request(model: "o1-pro")))
        #expect(try F.evaluate(#"model !~ "o1""#, F.request(model: "o1-pro")))
        #expect(try !F.evaluate(#"model =~ "4o""#))
        #expect(try F.evaluate(#"model =~ "gpt-4o""#))
        #expect(try F.evaluate(#"model =~ "^gpt-4o$""#))
        #expect(try F.evaluate(#"model =~ "^claude-opus.*""#, F.request(model: "claude-opus-4-1")))
    }

    @Test func dotStarOnBothSidesFindsAPatternAnywhere() throws {
        #expect(try F.evaluate(#"model =~ ".*4o.*""#))
        #expect(try F.evaluate(#"model =~ ".*(4o|o1).*""#, F.request(model: "o1-pro")))
        #expect(try !F.evaluate(#"model =~ ".*o3.*""#))
    }

    @Test func regexFallbackHandlesGeneralPatterns() throws {
        #expect(try F.evaluate(#"model =~ "^gpt-[0-9]+o?$""#))
        #expect(try F.evaluate(#"model =~ "g.t-\\d[a-z]""#))
        #expect(try F.evaluate(#"model !~ "g.t""#))
        #expect(try !F.evaluate(#"model !~ "g.t.*""#))
    }

    @Test func theShippedFrontierPatternMatchesWholeModelNames() throws {
        let frontier = #"model =~ "^(gpt-4[.]1|claude-opus.*|o[0-9].*|gemini-2[.]5-pro)$""#
        for model in ["gpt-4.1", "claude-opus-4-1", "o1", "o3-mini", "o4-mini", "gemini-2.5-pro"] {
            #expect(try F.evaluate(frontier, F.request(model: model)), "\(model)")
        }
        for model in ["gpt-4.1-mini", "gpt-4o", "claude-sonnet-4", "gemini-2.5-pro-preview", "gemini-2.5-flash", "xo1"] {
            #expect(try !F.evaluate(frontier, F.request(model: model)), "\(model)")
        }
    }

    @Test func notBindsTighterThanComparisonAndAndTighterThanOr() throws {
        #expect(try F.compile("!has(team) == false").description == "!has(team) == false")
        #expect(try F.evaluate("!has(team) == false"))
        // true || (false && false)
        #expect(try F.evaluate(#"has(team) || has(project) && has(project)"#))
        // (false && true) || true, not false && (true || true)
        #expect(try F.evaluate(#"has(project) && has(team) || has(team)"#))
        #expect(try !F.evaluate(#"has(project) && (has(team) || has(team))"#))
    }

    @Test func andAndOrAssociateToTheLeft() throws {
        let tree = try ExpressionSyntax(parsing: "a || b || c").withoutColumns
        let ab = ExpressionSyntax(.binary(.or, ExpressionSyntax(.variable("a"), column: 0), ExpressionSyntax(.variable("b"), column: 0)), column: 0)
        #expect(tree == ExpressionSyntax(.binary(.or, ab, ExpressionSyntax(.variable("c"), column: 0)), column: 0))
    }

    @Test func andSkipsItsRightOperandWhenTheLeftIsFalse() throws {
        // The right side would take seconds if it ran (thousands of NFA states live over a long
        // value); skipping it returns at once.
        let slow = #"model =~ "(.*a){1000}""#
        let context = F.request(model: String(repeating: "a", count: 200_000) + "b")
        let skippedByAnd = try F.compile("has(project) && " + slow)
        let skippedByOr = try F.compile("has(team) || " + slow)
        let elapsed = ContinuousClock().measure {
            #expect(!skippedByAnd.evaluate(context))
            #expect(skippedByOr.evaluate(context))
        }
        #expect(elapsed < .seconds(1))
    }

    @Test func absentLabelIsUnequalToEveryString() throws {
        let noTeam = F.request(team: nil)
        #expect(try !F.evaluate(#"team == "interns""#, noTeam))
        #expect(try F.evaluate(#"team != "interns""#, noTeam))
        #expect(try !F.evaluate(#"team == """#, noTeam))
        #expect(try !F.evaluate(#"team =~ ".*""#, noTeam))
        #expect(try F.evaluate(#"team !~ "x""#, noTeam))
        #expect(try !F.evaluate(#"team in ["interns", ""]"#, noTeam))
        #expect(try !F.evaluate(#"starts_with(team, "")"#, noTeam))
        #expect(try !F.evaluate(#"lower(team) == lower(team)"#, noTeam))
    }

    @Test func hasTestsLabelPresenceUnderBothNames() throws {
        #expect(try F.evaluate("has(team) && has(attribution.team)"))
        #expect(try !F.evaluate("has(team)", F.request(team: nil)))
        #expect(try F.evaluate("has(team)", F.request(team: "")))
        #expect(try F.evaluate("has(model) && has(hour)"))
    }

    @Test func inListsTestMembership() throws {
        #expect(try F.evaluate(#"team in ["research", "interns"]"#))
        #expect(try !F.evaluate(#"team in []"#))
        #expect(try F.evaluate(#"hour in [13, 14, 15,]"#))
        #expect(try F.evaluate(#"weekday in ["wednesday"]"#))
        #expect(try !F.evaluate(#"weekday in ["saturday", "sunday"]"#))
    }

    @Test func numbersCompareAsExactDecimals() throws {
        #expect(try F.evaluate("estimated_cost > 5.00"))
        #expect(try !F.evaluate("estimated_cost > 5.000000000000000001"))
        #expect(try F.evaluate("estimated_cost == 5.000000000000000001"))
        #expect(try !F.evaluate("estimated_cost > 5.00", F.request(cost: "5")))
        #expect(try F.evaluate("0.3 == 0.30 && 0.1 < 0.2 && -1 < 0"))
    }

    @Test func tokenAndClockVariablesAreNumbers() throws {
        #expect(try F.evaluate("estimated_input_tokens == 1_200 && max_output_tokens == 800 && estimated_tokens == 2000"))
        #expect(try F.evaluate("hour >= 9 && hour < 17 && minute == 30"))
        #expect(try F.evaluate("estimated_tokens > 1999.5"))
    }

    @Test func weekdayReadsAsALowerCaseName() throws {
        #expect(try F.evaluate(#"weekday == "wednesday""#))
        #expect(try F.evaluate(#"weekday == "sunday""#, F.request(weekday: 7)))
    }

    @Test func budgetRatioReadsTheNamedBudgetAndDefaultsToZero() throws {
        #expect(try F.evaluate(#"budget_ratio("acme-monthly") >= 0.85"#))
        #expect(try F.evaluate(#"budget_ratio("team-daily") == 0"#))
    }

    @Test func functionsLowerAndStartsWith() throws {
        let context = F.request(model: "GPT-4o")
        #expect(try F.evaluate(#"lower(model) == "gpt-4o""#, context))
        #expect(try F.evaluate(#"starts_with(lower(model), "gpt-")"#, context))
        #expect(try !F.evaluate(#"starts_with(model, "gpt-")"#, context))
    }

    @Test func stringEscapesAreDecoded() throws {
        let context = F.request(team: "a\"b\\c\n\t\u{E9}")
        #expect(try F.evaluate(#"team == "a\"b\\c\n\t\u00e9""#, context))
    }

    @Test func booleansCompareWithEquality() throws {
        #expect(try F.evaluate("has(team) == true && has(project) != true && (true || false)"))
    }

    @Test func descriptionIsCanonical() throws {
        #expect(try F.compile(#"(team=="interns")&&((model=~"x"))"#).description == #"team == "interns" && model =~ "x""#)
        #expect(try F.compile("!(has(team) || has(project))").description == "!(has(team) || has(project))")
        #expect(try F.compile("has(team) && (has(project) && has(user))").description == "has(team) && (has(project) && has(user))")
        #expect(try F.compile("estimated_cost > 5.00").description == "estimated_cost > 5")
    }
}
