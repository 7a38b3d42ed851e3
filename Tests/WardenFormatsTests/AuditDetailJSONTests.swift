import Testing
import WardenCore
import WardenFormats

/// An audit detail's canonical JSON: the one text the chain hashes, whoever built the detail.
@Suite struct AuditDetailJSONTests {
    @Test func fieldsAreWrittenSortedByTheBytesOfTheirNames() {
        let detail = AuditDetail([("z", 1), ("a", .list([.text("x"), .null, .record(AuditDetail([("d", 1), ("c", 2)]))])), ("B", .flag(true))])
        #expect(detail.canonicalJSON == #"{"B":true,"a":["x",null,{"c":2,"d":1}],"z":1}"#)
    }

    @Test func readingBackKeepsNumbersAsWrittenAndCanonicalises() throws {
        let detail = try AuditDetail(json: #" { "z" : 1.50, "a" : ["x\u0041", null, {"d":1,"c":2}], "n": -0 } "#)
        #expect(detail.canonicalJSON == #"{"a":["xA",null,{"c":2,"d":1}],"n":-0,"z":1.50}"#)
        #expect(try AuditDetail(json: detail.canonicalJSON) == detail)
    }

    @Test func settingANameAgainReplacesItsValue() {
        var detail = AuditDetail([("step", "warn")])
        detail["step"] = "deny"
        #expect(detail.canonicalJSON == #"{"step":"deny"}"#)
        detail["step"] = nil
        #expect(detail.canonicalJSON == "{}")
    }

    @Test func onlyAJSONObjectWithDistinctKeysIsADetail() {
        #expect(throws: AuditDetail.JSONError.self) { try AuditDetail(json: "[1]") }
        #expect(throws: AuditDetail.JSONError.self) { try AuditDetail(json: #"{"a":1,"a":2}"#) }
        #expect(throws: AuditDetail.JSONError.self) { try AuditDetail(json: "{") }
    }
}
