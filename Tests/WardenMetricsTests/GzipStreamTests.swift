import Foundation
import Testing
import WardenMetrics

@Suite struct GzipStreamTests {
    /// Compresses `pieces` with one stream, the last piece finishing it.
    private func compress(_ pieces: [[UInt8]], level: Int32 = 6) -> [UInt8] {
        let stream = GzipStream(level: level)
        var output: [UInt8] = []
        for (index, piece) in pieces.enumerated() {
            piece.withUnsafeBufferPointer { stream.compress($0, finish: index == pieces.count - 1, into: &output) }
        }
        #expect(stream.isFinished)
        return output
    }

    @Test func piecesDecompressToTheirConcatenation() throws {
        let exposition = RealisticExposition.render(.prometheusText)
        let pieces = stride(from: 0, to: exposition.count, by: 777).map { Array(exposition[$0..<min($0 + 777, exposition.count)]) }
        let compressed = compress(pieces)
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08], "gzip magic and deflate method")
        let result = try ExternalTools.run(ExternalTools.gzip(), ["-dc"], stdin: compressed)
        #expect(result.status == 0, "gzip -d: \(result.stderrText)")
        #expect(Array(result.stdout) == exposition)
    }

    @Test func manyMegabytesInLargePiecesRoundTripAtLevelOne() throws {
        var writer = ExpositionWriter(format: .prometheusText)
        writer.family("tokenwarden_tokens_total", type: .counter, help: "Tokens.")
        for index in 0..<60_000 {
            writer.sample("tokenwarden_tokens_total", LabelPairs([("org", "org\(index % 7)"), ("team", "team\(index)")]), UInt64(index * 31))
        }
        let exposition = writer.finish()
        let pieces = stride(from: 0, to: exposition.count, by: 300_000).map { Array(exposition[$0..<min($0 + 300_000, exposition.count)]) }
        let compressed = compress(pieces, level: 1)
        #expect(compressed.count * 5 < exposition.count)
        let result = try ExternalTools.run(ExternalTools.gzip(), ["-dc"], stdin: compressed)
        #expect(Array(result.stdout) == exposition)
    }

    @Test func anEmptyLastPieceStillWritesTheTrailer() throws {
        let input = Array("hello hello hello\n".utf8)
        for pieces in [[input, []], [[]], [[], input]] {
            let result = try ExternalTools.run(ExternalTools.gzip(), ["-dc"], stdin: compress(pieces))
            #expect(result.status == 0, "gzip -d: \(result.stderrText)")
            #expect(Array(result.stdout) == pieces.flatMap { $0 })
        }
    }
}
