import PropertyBased
import Testing
import WardenCore
import WardenFormats

/// Hostile input: random edits of valid bodies, and random bytes, must never crash the decoder,
/// and whatever it returns must obey the same rules as a hand-written body.
@Suite struct UsageEventDecoderFuzzTests {
    private typealias Body = UsageEventDecoderFixtures

    /// Three events exercising escapes, non-ASCII, optional fields and numbers in every form.
    static let events = [
        Body.typicalEvent(7),
        #"{"id":"caf\u00e9-\ud83d\ude00","provider":"openai","model":"gpt-4o","input_tokens":1e3,"#
            + #""output_tokens":0,"time":null,"attribution":{"user":"zoë","session":"s\u00e91"},"reservation":"r-1"}"#,
        Body.event(("reasoning_tokens", "-0"), ("time", #""2026-01-02T03:04:05+01:00""#)),
    ]
    static let arrayBody = Array(("[" + events.joined(separator: ",\n") + "]").utf8)
    static let ndjsonBody = Array((events.joined(separator: "\r\n") + "\n\n").utf8)

    /// One edit: where (modulo the body length), what (replace, insert, delete) and which
    /// byte; bytes are biased toward JSON's structural characters, where parsers break.
    struct Edit: Sendable, CustomStringConvertible {
        var place: Int
        var kind: Int
        var byte: UInt8
        var description: String { "\(["replace", "insert", "delete"][kind]) \(byte) at \(place)" }
    }

    static let structural = Array(#"{}[]",:\ 0123456789-+.eEtrufalsn"#.utf8) + [0x0A, 0x0D, 0x00, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
    static let edit = zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...2), Gen<UInt8>.value(in: 0...255))
        .map { place, kind, raw in
            Edit(place: place, kind: kind, byte: raw < 160 ? structural[Int(raw) % structural.count] : raw)
        }

    static func apply(_ edits: [Edit], to body: [UInt8]) -> [UInt8] {
        var bytes = body
        for edit in edits {
            let position = edit.place % (bytes.count + 1)
            switch edit.kind {
            case 0 where position < bytes.count: bytes[position] = edit.byte
            case 2 where position < bytes.count: bytes.remove(at: position)
            default: bytes.insert(edit.byte, at: position)
            }
        }
        return bytes
    }

    /// Checks what a decode produced against the rules, whichever way it went.
    static func checkOutcome(of body: [UInt8], format: UsageBodyFormat, sourceLocation: SourceLocation = #_sourceLocation) {
        do throws(UsageDecodeError) {
            let events = try Body.decoder.decode(body, format: format)
            #expect(!events.isEmpty, sourceLocation: sourceLocation)
            for event in events {
                #expect((1...256).contains(event.id.utf8.count), sourceLocation: sourceLocation)
                #expect((1...256).contains(event.model.utf8.count), sourceLocation: sourceLocation)
                let tokens = event.tokens
                for count in [tokens.input, tokens.output, tokens.cacheRead, tokens.cacheCreation, tokens.reasoning] {
                    #expect((0...1_000_000_000_000).contains(count), sourceLocation: sourceLocation)
                }
                #expect(tokens.uncachedInput >= 0 && tokens.visibleOutput >= 0, sourceLocation: sourceLocation)
                #expect(event.attribution.labels.allSatisfy { AttributionSchema.standard.allows($0.key) && !$0.value.isEmpty },
                        sourceLocation: sourceLocation)
                let texts = [event.id, event.provider, event.model] + event.attribution.labels.map(\.value)
                #expect(texts.allSatisfy { !$0.utf8.contains { $0 < 0x20 || $0 == 0x7F } }, sourceLocation: sourceLocation)
            }
        } catch {
            switch error {
            case .malformed(let offset, let line, let message):
                #expect((0...body.count).contains(offset), sourceLocation: sourceLocation)
                #expect(format == .ndjson ? (line ?? 0) >= 1 : line == nil, sourceLocation: sourceLocation)
                #expect(!message.isEmpty, sourceLocation: sourceLocation)
            case .invalid(let errors):
                #expect(!errors.isEmpty, sourceLocation: sourceLocation)
                #expect(zip(errors, errors.dropFirst()).allSatisfy { $0.index <= $1.index }, sourceLocation: sourceLocation)
            case .empty:
                break
            }
        }
    }

    @Test func unmodifiedFuzzSeedsDecode() throws {
        #expect(try Body.decoder.decode(Self.arrayBody, format: .json).count == 3)
        #expect(try Body.decoder.decode(Self.ndjsonBody, format: .ndjson).count == 3)
    }

    @Test func randomEditsOfValidBodiesNeverCrashAndKeepTheRules() async {
        await propertyCheck(count: 1500, input: Self.edit.array(of: 1...6)) { edits in
            Self.checkOutcome(of: Self.apply(edits, to: Self.arrayBody), format: .json)
            Self.checkOutcome(of: Self.apply(edits, to: Self.ndjsonBody), format: .ndjson)
        }
    }

    @Test func randomBytesNeverCrashTheReaderOrTheDecoder() async {
        let bytes = Gen<UInt8>.value(in: 0...255).map { $0 < 128 ? Self.structural[Int($0) % Self.structural.count] : $0 }
        await propertyCheck(count: 1500, input: bytes.array(of: 0...64)) { body in
            Self.checkOutcome(of: body, format: .json)
            Self.checkOutcome(of: body, format: .ndjson)
            do throws(JSONSyntaxError) {
                _ = try JSONDocument(parsing: body)
            } catch {
                #expect((0...body.count).contains(error.offset))
            }
        }
    }
}
