import Testing
@testable import WardenCore

/// Audit hashes, webhook signatures and reservation ids are compared as this text, so every path
/// into the encoder must spell the same bytes the same way.
@Suite struct LowercaseHexTests {
    static func reference(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test func everyPathSpellsBytesAsTwoLowercaseDigitsEach() {
        var generator = SystemRandomNumberGenerator()
        var samples: [[UInt8]] = [[], [0], [0xff], Array(0...255)]
        for _ in 0..<500 {
            samples.append((0..<Int.random(in: 1...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        for bytes in samples {
            let expected = Self.reference(bytes)
            #expect(LowercaseHex.encode(bytes) == expected)
            #expect(bytes.withUnsafeBytes { LowercaseHex.encode($0) } == expected)
            // A sequence without contiguous storage takes the generic path.
            #expect(LowercaseHex.encode(bytes.lazy.map { $0 }) == expected)
            #expect(LowercaseHex.encode(bytes[...]) == expected)
        }
    }
}
