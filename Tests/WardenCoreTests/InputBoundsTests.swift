import Testing
@testable import WardenCore
import WardenFormats

/// The bounds every outside value meets, on every path that takes it: usage events, checks (both
/// the one-pass reader of the usual body and the general decoder), and the arithmetic behind them.
@Suite struct InputBoundsTests {
    typealias F = EngineFixtures
    let checks = CheckRequestDecoder(schema: .standard)

    func checkErrors(_ body: String) -> [String] {
        guard case .failure(.invalid(let errors)) = checks.decode(Array(body.utf8)) else { return [] }
        return errors.map { "\($0.field): \($0.message)" }
    }

    func usageErrors(_ body: String) -> [String] {
        do {
            _ = try UsageEventDecoder(schema: .standard).decode(Array(body.utf8), format: .json)
            return []
        } catch {
            guard case .invalid(let errors) = error else { return ["\(error)"] }
            return errors.map { "\($0.field): \($0.message)" }
        }
    }

    static func usage(_ fields: String) -> String {
        #"{"id":"e1","provider":"openai","model":"gpt-4o","input_tokens":10,"output_tokens":5,\#(fields)}"#
    }

    // MARK: token counts: one grammar

    @Test(arguments: ["9999999999999999999", "99999999999999999999", "18446744073709551616", "1000000000001"])
    func aCheckCountAboveTheCapIsAFieldErrorNotACrash(count: String) {
        for field in ["estimated_input_tokens", "max_output_tokens"] {
            let found = checkErrors(#"{"provider":"openai","model":"gpt-4o","\#(field)":\#(count)}"#)
            #expect(found == ["\(field): must be at most 1000000000000"])
        }
    }

    @Test func wholeNumbersAreCountsHoweverTheyAreWritten() throws {
        for text in ["1000", "1e3", "1000.0", "1.0e3", "10000e-1", "1000.000"] {
            let check = try checks.decode(Array(#"{"provider":"p","model":"m","max_output_tokens":\#(text)}"#.utf8)).get()
            #expect(check.request.maxOutputTokens == 1000, "\(text)")
            #expect(usageErrors(Self.usage(#""reasoning_tokens":0,"cache_read_input_tokens":0"#).replacingOccurrences(of: #""input_tokens":10"#, with: #""input_tokens":\#(text)"#)) == [], "\(text)")
        }
    }

    @Test func aFractionIsRejectedNamingTheFieldOnEveryPath() {
        #expect(checkErrors(#"{"provider":"p","model":"m","estimated_input_tokens":1.5}"#)
            == ["estimated_input_tokens: must be a whole number of tokens"])
        #expect(usageErrors(Self.usage(#""reasoning_tokens":2.5"#)) == ["reasoning_tokens: must be a whole number of tokens"])
    }

    @Test func theCapItselfIsAccepted() throws {
        let check = try checks.decode(Array(#"{"provider":"p","model":"m","estimated_input_tokens":1000000000000}"#.utf8)).get()
        #expect(check.request.estimatedInputTokens == 1_000_000_000_000)
    }

    // MARK: text

    @Test(arguments: [#"a\u0000b"#, #"a\u001fb"#, #"\u007f"#, #"tab\tin"#, #"new\nline"#])
    func aControlCharacterInALabelIsRefusedOnEveryPath(value: String) {
        let message = "attribution.team: must not contain control characters (U+0000–U+001F, U+007F)"
        #expect(usageErrors(Self.usage(#""attribution":{"team":"\#(value)"}"#)) == [message])
        #expect(checkErrors(#"{"provider":"p","model":"m","attribution":{"team":"\#(value)"}}"#) == [message])
    }

    @Test func aControlCharacterInAnIdIsRefused() {
        #expect(usageErrors(#"{"id":"x\u0000y","provider":"openai","model":"gpt-4o","input_tokens":1,"output_tokens":1}"#)
            == ["id: must not contain control characters (U+0000–U+001F, U+007F)"])
        #expect(checkErrors(#"{"provider":"p","model":"m","id":"x\u0000"}"#)
            == ["id: must not contain control characters (U+0000–U+001F, U+007F)"])
    }

    @Test func aRawDeleteCharacterIsRefusedToo() {
        let body = "{\"provider\":\"p\",\"model\":\"m\",\"attribution\":{\"team\":\"a\u{7F}\"}}"
        #expect(checkErrors(body) == ["attribution.team: must not contain control characters (U+0000–U+001F, U+007F)"])
    }

    @Test func aCheckLabelOverTheTextLimitIsRefusedLikeAUsageLabel() {
        let long = String(repeating: "x", count: 257)
        #expect(checkErrors(#"{"provider":"p","model":"m","attribution":{"team":"\#(long)"}}"#)
            == ["attribution.team: must be at most 256 bytes (got 257)"])
        #expect(usageErrors(Self.usage(#""attribution":{"team":"\#(long)"}"#))
            == ["attribution.team: must be at most 256 bytes (got 257)"])
        let exactly = String(repeating: "x", count: 256)
        #expect(checkErrors(#"{"provider":"p","model":"m","attribution":{"team":"\#(exactly)"}}"#) == [])
    }

    @Test func aCheckModelOverTheTextLimitIsRefused() {
        let long = String(repeating: "m", count: 300)
        #expect(checkErrors(#"{"provider":"p","model":"\#(long)"}"#) == ["model: must be at most 256 bytes (got 300)"])
    }

    @Test func theWholeAttributionIsBoundedToo() {
        let schema = try! AttributionSchema(extraKeys: (1...20).map { "k\($0)" }, labelKeys: ["org"])
        let labels = (1...20).map { #""k\#($0)":"\#(String(repeating: "v", count: 250))""# }.joined(separator: ",")
        let body = #"{"provider":"p","model":"m","attribution":{\#(labels)}}"#
        let decoder = CheckRequestDecoder(schema: schema)
        guard case .failure(.invalid(let errors)) = decoder.decode(Array(body.utf8)) else {
            Issue.record("an attribution of 5 KB was accepted")
            return
        }
        #expect(errors.map(\.field) == ["attribution"])
        let roomy = CheckRequestDecoder(schema: schema, maxAttributionBytes: 8192)
        #expect((try? roomy.decode(Array(body.utf8)).get()) != nil)
        let usage = #"{"id":"e","provider":"p","model":"m","input_tokens":1,"output_tokens":1,"attribution":{\#(labels)}}"#
        #expect(throws: UsageDecodeError.self) { try UsageEventDecoder(schema: schema).decode(Array(usage.utf8), format: .json) }
    }

    @Test func aRepeatedAttributionKeyIsAnErrorInAChecksTooNotALastWins() {
        #expect(checkErrors(#"{"provider":"p","model":"m","attribution":{"team":"a","team":"b"}}"#)
            == ["attribution.team: duplicate key"])
    }

    // MARK: an explicit cost

    @Test func anEstimatedCostAboveABillionUnitsIsRefused() {
        #expect(checkErrors(#"{"provider":"p","model":"m","estimated_cost":"99999999999999999999"}"#)
            == [#"estimated_cost: must be a decimal amount from 0 to 1000000000 such as 0.25 or "0.25""#])
        #expect(checkErrors(#"{"provider":"p","model":"m","estimated_cost":"1000000000"}"#) == [])
    }

    // MARK: arithmetic, the second line of defence

    @Test func moneySaturatesInsteadOfTrapping() {
        #expect(Money.maximum + Money(attos: 1) == .maximum)
        #expect(Money.minimum - Money(attos: 1) == .minimum)
        #expect(Money(attos: .max / 2 + 1) * 3 == .maximum)
        #expect((Money.maximum + Money(attos: 1)).isSaturated)
        #expect(Money(attos: 5) + Money(attos: 7) == Money(attos: 12))
    }

    @Test func tokenSumsSaturateInsteadOfWrapping() {
        let big = UsageAmount(money: .zero, tokens: .max - 1)
        #expect((big + UsageAmount(money: .zero, tokens: 5)).tokens == .max)
        #expect((UsageAmount(money: .zero, tokens: .min + 1) - UsageAmount(money: .zero, tokens: 5)).tokens == .min)
        var totals = SeriesTotals()
        totals.add(tokens: TokenUsage(input: .max - 1, output: 0), cost: .zero, currency: "USD")
        totals.add(tokens: TokenUsage(input: 10, output: 0), cost: .zero, currency: "USD")
        #expect(totals.uncachedInput == .max)
    }

    /// A budget without a deny step (show-back) and no cost policy holds every reservation it is
    /// asked for: sums that would pass Int128 stop at its bound, and the engine says so in the audit.
    @Test func reservationsPastTheBoundOfMoneySaturateWithAnAuditRow() {
        var engine = F.engine([F.budget(thresholds: [F.step("80%", .warn)])])
        var request = F.request()
        request.estimatedCost = Money(attos: .max / 3)
        var rows: [AuditEvent] = []
        for number in 0..<4 {
            let outcome = engine.check(request, reservationID: "r\(number)", at: F.t0)
            #expect(outcome.decision.isAllowed)
            rows += outcome.audit
        }
        #expect(engine.instance()?.reserved.money == .maximum)
        #expect(rows.filter { $0.action == AuditAction.amountSaturated }.count == 1)
    }
}
