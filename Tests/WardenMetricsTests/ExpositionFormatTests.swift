import Testing
import WardenMetrics

@Suite struct ExpositionFormatTests {
    @Test func contentTypesAreTheRegisteredOnes() {
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8")
    }

    @Test func missingOrEmptyAcceptGetsText() {
        #expect(ExpositionFormat.negotiate(accept: nil) == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "") == .prometheusText)
    }

    @Test func prometheus2AcceptHeaderGetsOpenMetrics() {
        let accept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        #expect(ExpositionFormat.negotiate(accept: accept) == .openMetrics)
    }

    @Test func prometheus3AcceptHeaderGetsOpenMetrics() {
        let accept = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;escaping=allow-utf-8;q=0.5,"
            + "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,"
            + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.2,text/plain;version=0.0.4;q=0.1,*/*;q=0.05"
        #expect(ExpositionFormat.negotiate(accept: accept) == .openMetrics)
    }

    @Test func prometheusConfiguredForTextOnlyGetsText() {
        // scrape_protocols: [PrometheusText0.0.4] in Prometheus 2.49+.
        #expect(ExpositionFormat.negotiate(accept: "text/plain;version=0.0.4;q=0.5,*/*;q=0.1") == .prometheusText)
    }

    @Test func wildcardsGetText() {
        #expect(ExpositionFormat.negotiate(accept: "*/*") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "text/*") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8") == .prometheusText)
    }

    @Test func openMetricsWithoutVersionGetsOpenMetrics() {
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text") == .openMetrics)
    }

    @Test func onlyOpenMetricsDraftVersionGetsText() {
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;version=0.0.1") == .prometheusText)
    }

    @Test func higherQualityWins() {
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;q=0.3, text/plain;q=0.5") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "text/plain;q=0.5, application/openmetrics-text;q=0.9") == .openMetrics)
    }

    @Test func zeroQualityRefusesOpenMetrics() {
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;q=0") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;q=0, */*;q=0.1") == .prometheusText)
    }

    @Test func exactTypeBeatsWildcardAtEqualQuality() {
        #expect(ExpositionFormat.negotiate(accept: "*/*, application/openmetrics-text") == .openMetrics)
    }

    @Test func earlierEntryWinsAtEqualQualityAndSpecificity() {
        #expect(ExpositionFormat.negotiate(accept: "text/plain, application/openmetrics-text") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text, text/plain") == .openMetrics)
    }

    @Test func mediaTypesAndParameterNamesAreCaseInsensitive() {
        #expect(ExpositionFormat.negotiate(accept: "Application/OpenMetrics-Text; Version=1.0.0; Q=1") == .openMetrics)
    }

    @Test func quotedParametersAndWhitespaceAreTolerated() {
        #expect(ExpositionFormat.negotiate(accept: " application/openmetrics-text ; version=\"1.0.0\" ; charset=\"utf-8\" ") == .openMetrics)
    }

    @Test func malformedQualityIsIgnored() {
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;q=abc") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;q=2") == .prometheusText)
    }

    @Test func unrelatedTypesGetText() {
        #expect(ExpositionFormat.negotiate(accept: "application/json") == .prometheusText)
        #expect(ExpositionFormat.negotiate(accept: ";;,,=") == .prometheusText)
    }
}
