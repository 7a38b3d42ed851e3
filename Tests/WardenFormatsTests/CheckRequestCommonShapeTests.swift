import Testing
@testable import WardenCore
@testable import WardenFormats

/// The one-pass reader of the usual check body must never disagree with the general decoder: on
/// every body it accepts, both decode the same request; everything else it leaves alone.
@Suite struct CheckRequestCommonShapeTests {
    let decoder = CheckRequestDecoder(schema: .standard)

    static func same(_ left: CheckRequestDecoder.Decoded, _ right: CheckRequestDecoder.Decoded) -> Bool {
        left.hasExplicitCost == right.hasExplicitCost && left.request.provider == right.request.provider
            && left.request.model == right.request.model && left.request.attribution == right.request.attribution
            && left.request.attribution.labels.map(\.key) == right.request.attribution.labels.map(\.key)
            && left.request.estimatedInputTokens == right.request.estimatedInputTokens
            && left.request.maxOutputTokens == right.request.maxOutputTokens
            && left.request.estimatedCost == right.request.estimatedCost && left.request.currency == right.request.currency
            && left.request.priority == right.request.priority && left.approvalID == right.approvalID
    }

    /// The reader names its fields by position in the decoder's list: the positions must name them.
    @Test func theReadersFieldsAreTheDecodersFieldsOfTheSameName() {
        let names: [CommonShapeReader.Field: String] = [.provider: "provider", .model: "model", .estimatedInputTokens: "estimated_input_tokens",
                                                        .maxOutputTokens: "max_output_tokens", .attribution: "attribution",
                                                        .approvalID: "approval_id"]
        for field in CommonShapeReader.Field.allCases {
            #expect(CheckRequestDecoder.fields[field.rawValue] == names[field])
        }
    }

    @Test func theUsualBodyTakesTheFastPathAndDecodesAsInGeneral() throws {
        let body = Array(#"""
            {"provider": "openai", "model": "gpt-4o", "estimated_input_tokens": 1200, "max_output_tokens": 800,
             "attribution": {"org": "acme", "team": "search", "user": "u1", "agent": "a1"}}
            """#.utf8)
        let fast = try #require(decoder.decodeCommonShape(body))
        let general = try decoder.decodeInGeneral(body).get()
        #expect(Self.same(fast, general))
        #expect(fast.request.estimatedTokens == 2000)
    }

    @Test func aRetryNamingItsApprovalTakesTheFastPathAndDecodesAsInGeneral() throws {
        let body = Array(#"{"provider":"openai","model":"gpt-4o","estimated_input_tokens":1200,"approval_id":"apr_00ff","attribution":{"team":"search"}}"#.utf8)
        let fast = try #require(decoder.decodeCommonShape(body))
        let general = try decoder.decodeInGeneral(body).get()
        #expect(fast.approvalID == "apr_00ff")
        #expect(Self.same(fast, general))
    }

    @Test(arguments: [
        #"{"provider":"p","model":"m","estimated_cost":0.5}"#,             // a field it does not read
        #"{"provider":"p","model":"m","model":"n"}"#,                      // duplicate
        #"{"provider":"p\n","model":"m"}"#,                                // escape
        #"{"provider":"pé","model":"m"}"#,                                 // non-ASCII
        #"{"provider":"p","model":"m","estimated_input_tokens":1.5}"#,     // fraction
        #"{"provider":"p","model":"m","estimated_input_tokens":1e3}"#,     // exponent
        #"{"provider":"p","model":"m","estimated_input_tokens":-1}"#,      // sign
        #"{"provider":"p","model":"m","estimated_input_tokens":012}"#,     // leading zero
        #"{"provider":"p","model":"m","estimated_input_tokens":null}"#,    // null
        #"{"provider":"p","model":"m","estimated_input_tokens":1234567890123456789}"#,
        #"{"provider":"","model":"m"}"#,                                   // empty
        #"{"model":"m"}"#,                                                 // missing
        #"{"provider":"p","model":"m","attribution":{"colour":"red"}}"#,   // unknown label
        #"{"provider":"p","model":"m","attribution":{"org":1}}"#,          // not a string
        #"{"provider":"p","model":"m",}"#,                                 // trailing comma
        #"{"provider":"p","model":"m"} x"#,                                // trailing bytes
        #"{"provider":"p" "model":"m"}"#,                                  // missing comma
        #"[]"#, #"{}"#, #""#,
    ])
    func anythingElseIsLeftToTheGeneralDecoder(_ text: String) {
        #expect(decoder.decodeCommonShape(Array(text.utf8)) == nil)
    }

    /// Random bodies from fragments, mostly valid and often not: the fast path either declines
    /// or agrees.
    @Test func randomBodiesNeverDecodeDifferently() {
        let fitting: [String: [String]] = [
            #""provider""#: [#""openai""#, #""anthropic""#],
            #""model""#: [#""gpt-4o""#, #""claude sonnet 4""#],
            #""estimated_input_tokens""#: ["0", "7", "1200", "999999999999999999"],
            #""max_output_tokens""#: ["0", "800"],
            #""attribution""#: ["{}", #"{"org":"acme"}"#, #"{ "team" : "t" , "org":"o","team":"u"}"#, #"{"user":""}"#],
            #""approval_id""#: [#""apr_0123456789abcdef""#, #""apr_1""#],
        ]
        let otherKeys = [#""currency""#, #""id""#, #""pro\u0076ider""#, #""""#]
        let anyValues = [#""""#, #""a\"b""#, #""é""#, "012", "-3", "2.5", "1e2", "1000000000000000000", "null", "true",
                         #"{"org":"a","colour":"b"}"#, #"{"user":5}"#, "[]", #""x"#, "{"]
        let spaces = ["", "", " ", "\n", "\t "]
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<4000 {
            var text = spaces.randomElement(using: &generator)! + "{"
            var fields = [#""provider""#, #""model""#] + fitting.keys.filter { _ in Bool.random(using: &generator) }
            if Int.random(in: 0..<4, using: &generator) == 0 { fields.append(otherKeys.randomElement(using: &generator)!) }
            if Int.random(in: 0..<6, using: &generator) == 0 { fields.append(fitting.keys.randomElement(using: &generator)!) }
            if Int.random(in: 0..<8, using: &generator) == 0 { fields.removeFirst() }
            fields.shuffle(using: &generator)
            for (index, key) in fields.enumerated() {
                if index > 0 { text += Int.random(in: 0..<40, using: &generator) == 0 ? "" : "," }
                let value = Int.random(in: 0..<8, using: &generator) == 0 || fitting[key] == nil
                    ? anyValues.randomElement(using: &generator)! : fitting[key]!.randomElement(using: &generator)!
                text += spaces.randomElement(using: &generator)! + key + spaces.randomElement(using: &generator)! + ":"
                text += spaces.randomElement(using: &generator)! + value
            }
            text += "}" + (Int.random(in: 0..<30, using: &generator) == 0 ? " ]" : spaces.randomElement(using: &generator)!)
            let body = Array(text.utf8)
            guard let fast = decoder.decodeCommonShape(body) else { continue }
            accepted += 1
            guard case .success(let general) = decoder.decodeInGeneral(body) else {
                Issue.record("the fast path accepted a body the general decoder refuses: \(text)")
                continue
            }
            #expect(Self.same(fast, general), "decoded differently: \(text)")
        }
        #expect(accepted > 200, "too few random bodies took the fast path to test it (\(accepted))")
    }
}
