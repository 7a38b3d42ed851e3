import Testing
import WardenCore
import WardenMetrics

@Suite struct LabelPairsTests {
    private func text(_ labels: LabelPairs) -> String { String(decoding: labels.bytes, as: UTF8.self) }

    @Test func rendersPairsInOrderWithoutBraces() {
        #expect(text(LabelPairs([("org", "acme"), ("team", "ml")])) == #"org="acme",team="ml""#)
    }

    @Test func escapesBackslashQuoteAndNewline() {
        #expect(text(LabelPairs([("v", "a\\b\"c\nd")])) == #"v="a\\b\"c\nd""#)
    }

    @Test func leavesOtherCharactersAsTheyAre() {
        #expect(text(LabelPairs([("v", "tab\there\rcr 日本 🦀 {},=#")])) == "v=\"tab\there\rcr 日本 🦀 {},=#\"")
    }

    @Test func emptyValueIsAnEmptyQuotedString() {
        #expect(text(LabelPairs([("v", "")])) == #"v="""#)
    }

    @Test func emptyHasNoBytes() {
        #expect(LabelPairs.empty.bytes.isEmpty)
        #expect(LabelPairs.empty.isEmpty)
        #expect(LabelPairs([]) == .empty)
    }

    @Test func appendingAddsOnePairAfterTheOthers() {
        #expect(text(LabelPairs([("a", "1")]).appending("b", "\"")) == #"a="1",b="\"""#)
        #expect(text(LabelPairs.empty.appending("b", "2")) == #"b="2""#)
        #expect(text(LabelPairs([("a", "x\\")]).appending(LabelPairs([("b", "2"), ("c", "3")]))) == #"a="x\\",b="2",c="3""#)
        #expect(LabelPairs([("a", "1")]).appending(.empty) == LabelPairs([("a", "1")]))
        // A value that looks like another pair does not count as one.
        #expect(text(LabelPairs([("a", "x\",b=\"")]).appending("b", "y")) == #"a="x\",b=\"",b="y""#)
    }

    @Test func equalityFollowsRenderedPairsAndOrder() {
        #expect(LabelPairs([("a", "1"), ("b", "2")]) == LabelPairs([("a", "1")]).appending("b", "2"))
        #expect(LabelPairs([("a", "1"), ("b", "2")]) != LabelPairs([("b", "2"), ("a", "1")]))
        #expect(Set([LabelPairs([("a", "1")]), LabelPairs([("a", "1")]), LabelPairs([("a", "2")])]).count == 2)
    }

    @Test func attributionLabelsFollowTheKeyOrderWithEmptyForMissingKeys() {
        let attribution = Attribution([("team", "ml"), ("org", "acme"), ("user", "bob")])
        #expect(text(LabelPairs(attribution: attribution, keys: ["org", "team", "project"])) == #"org="acme",team="ml",project="""#)
    }

    @Test func invalidLabelNameTraps() async {
        await #expect(processExitsWith: .failure) { _ = LabelPairs([("team-name", "x")]) }
        await #expect(processExitsWith: .failure) { _ = LabelPairs([("__name__", "x")]) }
        await #expect(processExitsWith: .failure) { _ = LabelPairs([("1st", "x")]) }
    }

    @Test func repeatedLabelNameTraps() async {
        await #expect(processExitsWith: .failure) { _ = LabelPairs([("a", "x\",a=\"")]).appending("a", "y") }
    }
}

@Suite struct MetricNamingTests {
    @Test(arguments: ["up", "tokenwarden_tokens_total", "_x", "a:b", ":recording", "A9"])
    func validMetricNames(name: String) { #expect(MetricNaming.isValidMetricName(name)) }

    @Test(arguments: ["", "9a", "a-b", "a b", "a.b", "日本", "a\n"])
    func invalidMetricNames(name: String) { #expect(!MetricNaming.isValidMetricName(name)) }

    @Test(arguments: ["org", "_team", "le", "A_1"])
    func validLabelNames(name: String) { #expect(MetricNaming.isValidLabelName(name)) }

    @Test(arguments: ["", "1a", "a:b", "a-b", "__name__", "__x"])
    func invalidLabelNames(name: String) { #expect(!MetricNaming.isValidLabelName(name)) }
}
