import Testing
import WardenCore
import WardenFormats

/// The reader's grammar: what parses, what it reads back, and the exact offset and message of
/// every kind of malformed input.
@Suite struct JSONDocumentTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONDocument(parsing: text).root
    }

    private func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try JSONDocument(parsing: bytes).root
    }

    /// The error for `text`, or a recorded issue when it unexpectedly parses.
    private func syntaxError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONSyntaxError? {
        syntaxError(bytes: Array(text.utf8), sourceLocation: sourceLocation)
    }

    private func syntaxError(bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> JSONSyntaxError? {
        do {
            _ = try JSONDocument(parsing: bytes)
            Issue.record("expected a syntax error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Valid documents

    @Test func readsScalarsOfEveryKind() throws {
        #expect(try parse("true").bool == true)
        #expect(try parse("false").bool == false)
        #expect(try parse("null").isNull)
        #expect(try parse(#""hi""#).string == "hi")
        #expect(try parse("42").numberText == "42")
        #expect(try parse(" \t\r\n 7 \n").numberText == "7")
    }

    @Test func navigatesObjectsAndArraysInDocumentOrder() throws {
        let root = try parse(#"{"b": [1, {"c": null}, "x"], "a": {}, "e": []}"#)
        #expect(root.kind == .object)
        #expect(root.count == 3)
        #expect(root.members.map(\.key) == ["b", "a", "e"])
        let list = try #require(root["b"])
        #expect(list.kind == .array)
        #expect(list.elements.count == 3)
        #expect(list[0]?.numberText == "1")
        #expect(list[1]?["c"]?.isNull == true)
        #expect(list[2]?.string == "x")
        #expect(list[3] == nil)
        #expect(root["a"]?.count == 0)
        #expect(root["e"]?.elements.isEmpty == true)
        #expect(root["missing"] == nil)
    }

    @Test func keepsNumberTextExactlyAsWritten() throws {
        for text in ["-0", "0", "1e5", "1E+2", "0.5", "-1.25e-3", "2.9999900000000002e-06", "123456789012345678901234567890"] {
            #expect(try parse(text).numberText == text)
        }
    }

    @Test func decodesEveryEscape() throws {
        #expect(try parse(#""\" \\ \/ \b \f \n \r \t""#).string == "\" \\ / \u{8} \u{C} \n \r \t")
        #expect(try parse(#""caf\u00e9 \u20AC \u0000""#).string == "café € \u{0}")
    }

    @Test func joinsSurrogatePairEscapesIntoOneScalar() throws {
        #expect(try parse(#""\uD83D\uDE00""#).string == "😀")
        #expect(try parse(#""a\ud834\udd1eb""#).string == "a𝄞b")
    }

    @Test func acceptsMultiByteUTF8AsIs() throws {
        #expect(try parse("\"héllo € 😀 \u{10FFFF}\"").string == "héllo € 😀 \u{10FFFF}")
    }

    @Test func reportsByteOffsetOfEachValue() throws {
        let root = try parse(#"  {"k": "v", "n": 12}"#)
        #expect(root.byteOffset == 2)
        #expect(root["k"]?.byteOffset == 8)
        #expect(root["n"]?.byteOffset == 18)
    }

    @Test func acceptsNestingUpToTheDepthLimit() throws {
        let text = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try parse(text).kind == .array)
    }

    // MARK: Malformed documents: message and byte offset

    @Test func rejectsMissingCommaBetweenMembers() {
        #expect(syntaxError(#"{"a":1 "b":2}"#) == JSONSyntaxError(offset: 7, message: "expected ',' or '}' after object member"))
    }

    @Test func rejectsMissingCommaBetweenElements() {
        #expect(syntaxError("[1 2]") == JSONSyntaxError(offset: 3, message: "expected ',' or ']' after array element"))
    }

    @Test func rejectsMissingColon() {
        #expect(syntaxError(#"{"a" 1}"#) == JSONSyntaxError(offset: 5, message: "expected ':' after object key"))
    }

    @Test func rejectsNonStringKey() {
        #expect(syntaxError("{a:1}") == JSONSyntaxError(offset: 1, message: "expected a string key or '}'"))
    }

    @Test func rejectsTrailingCommaInObject() {
        #expect(syntaxError(#"{"a":1,}"#) == JSONSyntaxError(offset: 7, message: "expected a string key after ','"))
    }

    @Test func rejectsTrailingCommaInArray() {
        #expect(syntaxError("[1,]") == JSONSyntaxError(offset: 3, message: "expected a value"))
    }

    @Test func rejectsTruncatedContainers() {
        #expect(syntaxError("[1,2") == JSONSyntaxError(
            offset: 4, message: "unexpected end of input, expected ',' or ']' after array element"))
        #expect(syntaxError(#"{"a":"#) == JSONSyntaxError(offset: 5, message: "unexpected end of input, expected a value"))
        #expect(syntaxError("{") == JSONSyntaxError(offset: 1, message: "unexpected end of input, expected a string key or '}'"))
    }

    @Test func rejectsEmptyAndBlankInput() {
        #expect(syntaxError("") == JSONSyntaxError(offset: 0, message: "unexpected end of input, expected a value"))
        #expect(syntaxError("  \n") == JSONSyntaxError(offset: 3, message: "unexpected end of input, expected a value"))
    }

    @Test func rejectsTrailingCharactersAfterValue() {
        #expect(syntaxError(#"{"a":1} x"#) == JSONSyntaxError(offset: 8, message: "trailing characters after value"))
        #expect(syntaxError("{}\n{}") == JSONSyntaxError(offset: 3, message: "trailing characters after value"))
    }

    @Test func reportsUnterminatedStringAtItsOpeningQuote() {
        #expect(syntaxError(#"{"a": "abc"#) == JSONSyntaxError(offset: 6, message: "unterminated string"))
        #expect(syntaxError(#""abc\"#) == JSONSyntaxError(offset: 0, message: "unterminated string"))
    }

    @Test func rejectsUnknownEscapeAtItsBackslash() {
        #expect(syntaxError(#""ab\x""#) == JSONSyntaxError(offset: 3, message: "invalid escape"))
        #expect(syntaxError(#""\'""#) == JSONSyntaxError(offset: 1, message: "invalid escape"))
    }

    @Test func rejectsShortUnicodeEscape() {
        #expect(syntaxError(#""\u12G4""#) == JSONSyntaxError(offset: 1, message: "invalid \\u escape: expected 4 hex digits"))
        #expect(syntaxError(#""\u12"#) == JSONSyntaxError(offset: 1, message: "invalid \\u escape: expected 4 hex digits"))
    }

    @Test func rejectsUnpairedSurrogates() {
        let unpaired = "invalid \\u escape: unpaired surrogate"
        #expect(syntaxError(#""\ud800""#) == JSONSyntaxError(offset: 1, message: unpaired))
        #expect(syntaxError(#""x\ud800\u0041""#) == JSONSyntaxError(offset: 2, message: unpaired))
        #expect(syntaxError(#""\udc00""#) == JSONSyntaxError(offset: 1, message: unpaired))
    }

    @Test func rejectsRawControlCharactersInStrings() {
        #expect(syntaxError("\"a\tb\"") == JSONSyntaxError(offset: 2, message: "control character in string"))
        #expect(syntaxError(bytes: [0x22, 0x61, 0x00, 0x22]) == JSONSyntaxError(offset: 2, message: "control character in string"))
        #expect(syntaxError("[\"line\nbreak\"]") == JSONSyntaxError(offset: 6, message: "control character in string"))
    }

    @Test func rejectsInvalidUTF8AtTheSequenceStart() {
        let invalid = "invalid UTF-8"
        #expect(syntaxError(bytes: [0x22, 0xC3, 0x28, 0x22]) == JSONSyntaxError(offset: 1, message: invalid))  // bad continuation
        #expect(syntaxError(bytes: [0x22, 0xC0, 0xAF, 0x22]) == JSONSyntaxError(offset: 1, message: invalid))  // overlong
        #expect(syntaxError(bytes: [0x22, 0xED, 0xA0, 0x80, 0x22]) == JSONSyntaxError(offset: 1, message: invalid))  // surrogate
        #expect(syntaxError(bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]) == JSONSyntaxError(offset: 1, message: invalid))  // > U+10FFFF
        #expect(syntaxError(bytes: [0x22, 0x61, 0x80, 0x22]) == JSONSyntaxError(offset: 2, message: invalid))  // lone continuation
        #expect(syntaxError(bytes: [0x22, 0xE2, 0x82]) == JSONSyntaxError(offset: 1, message: invalid))  // truncated
        // Found by the word-at-a-time scan as well as the byte-at-a-time one.
        #expect(syntaxError(bytes: Array("\"abcdefghijklmnop".utf8) + [0xFF, 0x22])
            == JSONSyntaxError(offset: 17, message: invalid))
    }

    @Test func rejectsNonASCIIOutsideStrings() {
        #expect(syntaxError(bytes: [0x5B, 0xC3, 0xA9, 0x5D]) == JSONSyntaxError(offset: 1, message: "expected a value"))
    }

    @Test func rejectsLeadingZeros() {
        #expect(syntaxError("01") == JSONSyntaxError(offset: 0, message: "leading zeros are not allowed"))
        #expect(syntaxError("[-007]") == JSONSyntaxError(offset: 1, message: "leading zeros are not allowed"))
    }

    @Test func rejectsIncompleteNumbers() {
        #expect(syntaxError("-") == JSONSyntaxError(offset: 1, message: "expected a digit after '-'"))
        #expect(syntaxError("-a") == JSONSyntaxError(offset: 1, message: "expected a digit after '-'"))
        #expect(syntaxError("1.") == JSONSyntaxError(offset: 2, message: "expected a digit after the decimal point"))
        #expect(syntaxError("1.e5") == JSONSyntaxError(offset: 2, message: "expected a digit after the decimal point"))
        #expect(syntaxError("1e") == JSONSyntaxError(offset: 2, message: "expected a digit in the exponent"))
        #expect(syntaxError("1e+") == JSONSyntaxError(offset: 3, message: "expected a digit in the exponent"))
    }

    @Test func rejectsNumberFormsJSONDoesNotHave() {
        for text in [".5", "+1", "NaN", "Infinity", "-Infinity", "0x10"] {
            #expect(syntaxError(text)?.message != nil, "\(text)")
        }
        #expect(syntaxError(".5") == JSONSyntaxError(offset: 0, message: "expected a value"))
        #expect(syntaxError("0x10") == JSONSyntaxError(offset: 1, message: "trailing characters after value"))
    }

    @Test func rejectsMisspelledLiterals() {
        #expect(syntaxError("tru") == JSONSyntaxError(offset: 0, message: "invalid literal (expected true, false or null)"))
        #expect(syntaxError("[nul]") == JSONSyntaxError(offset: 1, message: "invalid literal (expected true, false or null)"))
        #expect(syntaxError("True") == JSONSyntaxError(offset: 0, message: "expected a value"))
    }

    @Test func rejectsSingleQuotedStrings() {
        #expect(syntaxError("'a'") == JSONSyntaxError(offset: 0, message: "expected a value"))
    }

    @Test func rejectsNestingBeyondTheDepthLimit() {
        let text = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(syntaxError(text) == JSONSyntaxError(offset: 64, message: "nesting deeper than 64 levels"))
    }

    @Test func survivesHostileNestingWithoutRecursion() {
        let text = String(repeating: "[{\"a\":", count: 200_000)
        #expect(syntaxError(text)?.message == "nesting deeper than 64 levels")
        #expect(throws: JSONSyntaxError.self) { try JSONDocument(parsing: Array(text.utf8), maxDepth: 1_000_000) }
    }

    @Test func describesErrorsWithTheByteOffset() {
        #expect(JSONSyntaxError(offset: 7, message: "unterminated string").description
            == "invalid JSON at byte 7: unterminated string")
    }
}
