import Foundation
import Testing
import WardenMetrics

@Suite struct GzipTests {
    @Test func compressedExpositionDecompressesWithGzipTool() throws {
        let exposition = RealisticExposition.render(.prometheusText)
        let compressed = Gzip.compress(exposition)
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08], "gzip magic and deflate method")
        let result = try ExternalTools.run(ExternalTools.gzip(), ["-dc"], stdin: compressed)
        #expect(result.status == 0, "gzip -d: \(result.stderrText)")
        #expect(Array(result.stdout) == exposition)
    }

    @Test func largeRepetitiveInputShrinksAndRoundTrips() throws {
        var writer = ExpositionWriter(format: .openMetrics)
        writer.family("tokenwarden_tokens_total", type: .counter, help: "Tokens.")
        for index in 0..<20_000 {
            writer.sample("tokenwarden_tokens_total", LabelPairs([("org", "org\(index % 7)"), ("team", "team\(index)")]), UInt64(index * 31))
        }
        let exposition = writer.finish()
        for level: Int32 in [1, 6, 9] {
            let compressed = Gzip.compress(exposition, level: level)
            #expect(compressed.count * 5 < exposition.count, "level \(level): \(compressed.count) of \(exposition.count) bytes")
            let result = try ExternalTools.run(ExternalTools.gzip(), ["-dc"], stdin: compressed)
            #expect(Array(result.stdout) == exposition, "level \(level)")
        }
    }

    @Test func incompressibleAndEmptyInputsRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for input in [random, [], [0x41]] {
            let result = try ExternalTools.run(ExternalTools.gzip(), ["-dc"], stdin: Gzip.compress(input))
            #expect(result.status == 0)
            #expect(Array(result.stdout) == input)
        }
    }

    @Test func outOfRangeLevelsAreClamped() throws {
        let input = Array("hello hello hello".utf8)
        for level: Int32 in [-5, 42] {
            let result = try ExternalTools.run(ExternalTools.gzip(), ["-dc"], stdin: Gzip.compress(input, level: level))
            #expect(Array(result.stdout) == input)
        }
    }

    @Test(arguments: [
        ("gzip", true), ("gzip, deflate, br", true), ("br;q=1.0, gzip;q=0.8, *;q=0.1", true), ("GZIP", true),
        ("x-gzip", true), ("*", true), (" deflate , * ; q=0.5", true),
    ])
    func acceptsGzipWhenOffered(header: String, accepted: Bool) {
        #expect(Gzip.accepts(acceptEncoding: header) == accepted)
    }

    @Test(arguments: [
        ("gzip;q=0", false), ("gzip;q=0.0, *", false), ("*;q=0", false), ("deflate", false), ("identity", false), ("", false),
    ])
    func refusesGzipWhenNotOfferedOrRefused(header: String, accepted: Bool) {
        #expect(Gzip.accepts(acceptEncoding: header) == accepted)
    }

    @Test func missingAcceptEncodingMeansNoGzip() {
        #expect(!Gzip.accepts(acceptEncoding: nil))
    }
}
