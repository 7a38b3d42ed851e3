import PropertyBased
import Testing
import WardenCore
import WardenFormats

/// The response writer: escaping, comma placement, numbers, and agreement with the reader.
@Suite struct JSONWriterTests {
    private func text(_ writer: borrowing JSONWriter) -> String { String(decoding: writer.bytes, as: UTF8.self) }

    @Test func escapesQuotesBackslashesAndControlCharacters() {
        var writer = JSONWriter()
        writer.string("a\"b\\c\n\r\t\u{8}\u{C}\u{0}\u{1}\u{1F}/é😀")
        #expect(text(writer) == #""a\"b\\c\n\r\t\b\f\u0000\u0001\u001f/é😀""#)
    }

    @Test func copiesStringsWithoutSpecialCharactersVerbatim() {
        var writer = JSONWriter()
        writer.string("plain text, with ünïcode")
        #expect(text(writer) == #""plain text, with ünïcode""#)
    }

    @Test func placesCommasBetweenMembersAndElementsOnly() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("results")
        writer.beginArray()
        for (id, status) in [("e1", "accepted"), ("e2", "duplicate")] {
            writer.beginObject()
            writer.key("id"); writer.string(id)
            writer.key("status"); writer.string(status)
            writer.endObject()
        }
        writer.endArray()
        writer.key("empty"); writer.beginObject(); writer.endObject()
        writer.key("list"); writer.beginArray(); writer.integer(1); writer.null(); writer.bool(true); writer.bool(false); writer.endArray()
        writer.endObject()
        #expect(text(writer) == #"{"results":[{"id":"e1","status":"accepted"},{"id":"e2","status":"duplicate"}],"#
            + #""empty":{},"list":[1,null,true,false]}"#)
    }

    @Test func writesIntegersExactlyAcrossTheirRange() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.integer(0)
        writer.integer(-42)
        writer.integer(Int64.min)
        writer.integer(UInt64.max)
        writer.integer(Int128(1_000_000_000_000_000) * 1_000_000_000_000_000)
        writer.endArray()
        #expect(text(writer) == "[0,-42,-9223372036854775808,18446744073709551615,1000000000000000000000000000000]")
    }

    @Test func writesNumberTextAndRawFragmentsAsGiven() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.number(text: Money(attos: 1_230_750_000_000).exactDecimal)
        writer.raw(Array(#"{"pre":"rendered"}"#.utf8))
        writer.endArray()
        #expect(text(writer) == #"[0.00000123075,{"pre":"rendered"}]"#)
    }

    /// Any Unicode scalar, but biased toward the ones that need escaping or multi-byte UTF-8.
    static let scalars = Gen<UInt32>.value(in: 0...UInt32.max).map { raw -> Character in
        let value = raw >> 2
        let scalar: UInt32
        switch raw & 3 {
        case 0: scalar = value % 0x20  // control characters
        case 1: scalar = value % 0x60 + 0x20  // printable ASCII, quote and backslash included
        case 2: scalar = value % (0xD800 - 0x80) + 0x80  // BMP below the surrogates
        default: scalar = value % (0x10FFFF - 0xE000) + 0xE000  // above the surrogates
        }
        return Character(Unicode.Scalar(scalar)!)
    }

    @Test func everyStringRoundTripsThroughTheReader() async throws {
        await propertyCheck(count: 300, input: Self.scalars.string(of: 0...40)) { value in
            var writer = JSONWriter()
            writer.beginObject()
            writer.key(value)
            writer.string(value)
            writer.endObject()
            let root = try JSONDocument(parsing: writer.bytes).root
            #expect(root.members.map(\.key) == [value])
            #expect(root[value]?.string == value)
        }
    }

    @Test func everyInt64RoundTripsThroughTheReader() async throws {
        await propertyCheck(count: 300, input: Gen.int64()) { value in
            var writer = JSONWriter()
            writer.integer(value)
            let root = try JSONDocument(parsing: writer.bytes).root
            #expect(root.integer == .integer(value))
        }
    }

    /// Wider than 64 bits the digits come out in 19-digit groups; each group keeps its leading zeros.
    @Test func every128BitIntegerMatchesItsDescription() async {
        await propertyCheck(count: 500, input: Gen.int128(in: Int128.min...Int128.max)) { value in
            var writer = JSONWriter()
            writer.integer(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        }
        for value in [Int128(10_000_000_000_000_000_000 as UInt64), Int128(10_000_000_000_000_000_000 as UInt64) - 1,
                      Int128(UInt64.max) + 1, Int128(10_000_000_000_000_000_000 as UInt64) * 10_000_000_000_000_000_000,
                      Int128.max, Int128.min] {
            var writer = JSONWriter()
            writer.integer(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        }
        var writer = JSONWriter()
        writer.integer(UInt128.max)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(UInt128.max))
    }

    @Test func preRenderedMembersTakeTheirPlaceAmongOtherMembers() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.members(Array(#""a":1,"b":"x""#.utf8))
        writer.key("c")
        writer.integer(2)
        writer.members(Array(#""d":{}"#.utf8))
        writer.endObject()
        writer.beginObject()
        writer.members([])
        writer.endObject()
        #expect(text(writer) == #"{"a":1,"b":"x","c":2,"d":{}},{}"#)
    }
}
