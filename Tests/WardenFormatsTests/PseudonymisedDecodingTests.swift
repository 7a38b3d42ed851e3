import Testing
import WardenCore
import WardenFormats

/// Usage events and checks come out of their decoders with pseudonymised labels already replaced.
@Suite struct PseudonymisedDecodingTests {
    static let pseudonymisation = Pseudonymisation(labels: ["user", "session"]) { label, value in "hashed(\(label),\(value))" }

    @Test func everyDecodedEventCarriesPseudonymsOnly() throws {
        let decoder = UsageEventDecoder(schema: .standard, pseudonymisation: Self.pseudonymisation)
        let attribution = #"{"team":"search","user":"alice","session":"s-1"}"#
        let body = "[" + (1...3).map { UsageEventDecoderFixtures.event(("id", "\"e\($0)\""), ("attribution", attribution)) }
            .joined(separator: ",") + "]"
        let events = try decoder.decode(Array(body.utf8), format: .json)
        #expect(events.count == 3)
        // The later events reuse the first one's attribution (the decoder's memo): pseudonymised too.
        for event in events {
            #expect(event.attribution["user"] == "hashed(user,alice)")
            #expect(event.attribution["session"] == "hashed(session,s-1)")
            #expect(event.attribution["team"] == "search")
        }
    }

    @Test func aDecodedCheckCarriesPseudonymsOnly() throws {
        let decoder = CheckRequestDecoder(schema: .standard, pseudonymisation: Self.pseudonymisation)
        // The common shape and the general decoder (an `id` field sends it there) alike.
        for body in [#"{"provider":"openai","model":"gpt-4o","attribution":{"user":"alice"}}"#,
                     #"{"id":"x","provider":"openai","model":"gpt-4o","attribution":{"user":"alice"}}"#] {
            let decoded = try decoder.decode(Array(body.utf8)).get()
            #expect(decoded.request.attribution["user"] == "hashed(user,alice)", "\(body)")
        }
    }
}
