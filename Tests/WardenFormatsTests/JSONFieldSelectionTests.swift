import Testing
@testable import WardenFormats

/// Parsing only the selected members of objects: what is kept, and that what is skipped is
/// checked exactly as if it were parsed.
@Suite struct JSONFieldSelectionTests {
    static let selection = JSONFieldSelection(objectOrArrayOfObjects: [["id"], ["metadata", "team"]].map { $0.map { Array($0.utf8) } })

    static func selective(_ text: String) throws(JSONSyntaxError) -> JSONDocument {
        let bytes = Array(text.utf8)
        return try JSONDocument(parsing: bytes, in: bytes.indices, selecting: selection)
    }

    static func keys(_ value: JSONValue) -> [String] { value.members.map(\.key) }

    @Test func anObjectKeepsOnlyItsSelectedMembersInOrderWithDuplicates() throws {
        let document = try Self.selective(#"{"x":[1,{"id":2}],"id":"a","metadata":{"team":"t","other":{}},"y":null,"id":"b"}"#)
        #expect(Self.keys(document.root) == ["id", "metadata", "id"])
        #expect(document.root.count == 3)
        #expect(document.root["id"]?.string == "a")
        #expect(try Self.keys(#require(document.root["metadata"])) == ["team"])
    }

    @Test func eachObjectOfATopLevelArrayIsSelectedAlike() throws {
        let document = try Self.selective(#"[{"id":"a","z":1},{"q":[],"id":"b"},[{"z":1}]]"#)
        #expect(document.root.elements.map(Self.keys) == [["id"], ["id"], []])
        #expect(document.root.elements.map { $0["id"]?.string } == ["a", "b", nil])
    }

    @Test func aSelectedNameWithNothingUnderItKeepsItsValueWhole() throws {
        let document = try Self.selective(#"{"id":{"deep":{"er":[1,2]}}}"#)
        let id = try #require(document.root["id"])
        #expect(id["deep"]?["er"]?.elements.count == 2)
    }

    @Test func anEscapedNameIsMatchedByItsText() throws {
        let document = try Self.selective(#"{"\u0069d":"a","i\"d":"b"}"#)
        #expect(Self.keys(document.root) == ["id"])
    }

    @Test func anObjectWhoseMembersAreAllSkippedIsEmpty() throws {
        let document = try Self.selective(#"{"metadata":{"a":1,"b":[true,false]},"c":"d"}"#)
        #expect(Self.keys(document.root) == ["metadata"])
        #expect(try #require(document.root["metadata"]).count == 0)
    }

    /// Malformed values placed in a member that is skipped, and in one that is kept.
    static let malformed = [
        "nul", "tru", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "{1:2}", "\"\\x\"", "\"\\ud800\"", "\"a\u{1}\"",
        "01", "-", "1.", "1e", "+1", "[", "{", "{\"a\":", "\"abc", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]",
        "{\"a\":1", "[1", "\"\\u12\"", "\u{7f}",
    ]

    @Test(arguments: malformed)
    func aSkippedMemberIsRefusedWithTheErrorOfAParsedOne(value: String) throws {
        for wrapped in [#"{"id":1,"skipped":\#(value)}"#, #"[{"metadata":{"other":\#(value)}}]"#, #"{"id":\#(value)}"#] {
            let whole = #expect(throws: JSONSyntaxError.self) { try JSONDocument(parsing: wrapped) }
            let selective = #expect(throws: JSONSyntaxError.self) { try Self.selective(wrapped) }
            #expect(whole == selective, "\(wrapped)")
        }
    }

    @Test func invalidUTF8InASkippedMemberIsRefusedAtItsByte() throws {
        var bytes = Array(#"{"skipped":"ab","id":1}"#.utf8)
        bytes[12] = 0xFF
        #expect(throws: JSONSyntaxError(offset: 12, message: "invalid UTF-8")) {
            try JSONDocument(parsing: bytes, in: bytes.indices, selecting: Self.selection)
        }
    }

    @Test func aRangeIsParsedInPlaceWithOffsetsFromTheStartOfTheBytes() throws {
        let bytes = Array("xx{\"id\":\"a\"}\n{\"id\": }".utf8)
        let first = try JSONDocument(parsing: bytes, in: 2..<12, selecting: Self.selection)
        #expect(first.root["id"]?.string == "a")
        #expect(first.root["id"]?.byteOffset == 8)
        #expect(throws: JSONSyntaxError(offset: 20, message: "expected a value")) {
            try JSONDocument(parsing: bytes, in: 13..<bytes.count, selecting: Self.selection)
        }
    }
}
