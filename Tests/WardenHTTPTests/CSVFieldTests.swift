import Testing
@testable import WardenHTTP

/// CSV cells a spreadsheet would run as a formula are neutralised (OWASP's list of triggers).
@Suite struct CSVFieldTests {
    @Test(arguments: ["=SUM(A1)", "+1+1", "-2+3", "@cmd", "\tcmd", "\rcmd"])
    func aFormulaTriggerGetsAQuotePrefix(value: String) {
        let field = ExportResponse.csvField(value)
        #expect(field.hasPrefix("'") || field.hasPrefix("\"'"), "\(value.debugDescription) → \(field.debugDescription)")
    }

    @Test(arguments: ["-0.5", "+12", "search", "0.00575"])
    func numbersAndPlainTextAreLeftAlone(value: String) {
        #expect(ExportResponse.csvField(value) == value)
    }
}
