import Testing
import WardenCore
import WardenFormats
@testable import WardenStore

/// The canonical bytes and hashes of both row formats, pinned to the text the documentation
/// gives (a change here breaks every stored chain). The expected hashes were computed outside
/// Swift (Python's `hmac` and `hashlib`).
@Suite struct AuditRowFormatTests {
    static let genesis = AuditChain.genesisHash

    func row(_ version: AuditRowVersion, observed: String? = "80.5", limit: String? = "100") -> [UInt8] {
        AuditChain.canonicalRow(version: version, seq: 3, timeNanoseconds: 1_700_000_000_000_000_000, rule: "team-budget",
                                kind: "budget", action: "threshold_crossed_up", scope: #"{"team":"search"}"#, decision: "warn",
                                observed: observed, limit: limit, detail: #"{"step":80}"#)
    }

    @Test func aVersion1RowIsTheDocumentedArray() {
        #expect(String(decoding: row(.v1), as: UTF8.self)
            == #"[3,1700000000000000000,"team-budget","budget","threshold_crossed_up","{\"team\":\"search\"}","warn","80.5","100","{\"step\":80}"]"#)
        #expect(String(decoding: row(.v1, observed: nil, limit: nil), as: UTF8.self).contains(#""warn",null,null,"{"#))
    }

    @Test func aVersion1HashIsPlainSHA256OfThePreviousHashAndTheRow() {
        #expect(AuditChain.hash(previousHash: Self.genesis, canonicalRow: row(.v1))
            == "17f87b372647e670f08bb5d4216b5e7c6899de5401ab3053eaa9a7b447d006d2")
    }

    @Test func aVersion2RowIsTheDocumentedObjectWithVersionFirst() {
        #expect(String(decoding: row(.v2), as: UTF8.self)
            == #"{"v":2,"seq":3,"time_ns":1700000000000000000,"rule":"team-budget","kind":"budget","action":"threshold_crossed_up","scope":"{\"team\":\"search\"}","decision":"warn","observed":"80.5","limit":"100","detail":"{\"step\":80}"}"#)
    }

    @Test func aVersion2RowOmitsAbsentOptionalFields() {
        #expect(String(decoding: row(.v2, observed: nil, limit: nil), as: UTF8.self)
            == #"{"v":2,"seq":3,"time_ns":1700000000000000000,"rule":"team-budget","kind":"budget","action":"threshold_crossed_up","scope":"{\"team\":\"search\"}","decision":"warn","detail":"{\"step\":80}"}"#)
    }

    @Test func aVersion2HashIsHMACSHA256WithTheKey() {
        let key = AuditKey(bytes: [UInt8](0..<32))!
        #expect(AuditChain.keyedHash(previousHash: Self.genesis, canonicalRow: row(.v2), key: key)
            == "7619d30d36037ace58cdde860fc6922998c9d7bebc38653855c7afc333d9b933")
        // Not what anyone without the key can compute:
        #expect(AuditChain.hash(previousHash: Self.genesis, canonicalRow: row(.v2))
            == "4b8254b774887874b0896973aca0671a81aad5fb01d2cc2132fffcc17b7d3c7c")
    }

    @Test func aKeyedStateIsReusableRowAfterRow() {
        let key = AuditKey(bytes: [UInt8](0..<32))!
        let reload = AuditChain.canonicalRow(version: .v2, seq: 4, timeNanoseconds: 1_700_000_001_000_000_000, rule: "",
                                             kind: "reload", action: "rules_reloaded", scope: "{}", decision: "", observed: nil,
                                             limit: nil, detail: "{}")
        let previous = [UInt8](repeating: 0, count: 32)
        var first = key.authenticator
        var second = key.authenticator
        #expect(AuditChain.keyedDigest(previous: previous, canonicalRow: row(.v2), authenticator: &first).hex
            == "7619d30d36037ace58cdde860fc6922998c9d7bebc38653855c7afc333d9b933")
        #expect(AuditChain.keyedDigest(previous: previous, canonicalRow: reload, authenticator: &second).hex
            == "806b808a61beb83aa8a2160eed7421efa0efd4c24d98d9ae8de03fe864034302")
    }

    @Test func appendedRowsAreVersion2AndHashedWithTheKey() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.append([auditEvent(0, observed: nil, limit: nil)])
        let stored = try #require(try harness.audit.query(AuditQuery()).first)
        #expect(stored.version == 2)
        let event = stored.event
        let canonical = AuditChain.canonicalRow(version: .v2, seq: 1, timeNanoseconds: event.time.nanosecondsSinceEpoch,
                                                rule: event.rule, kind: event.kind.rawValue, action: event.action,
                                                scope: event.scopeJSON, decision: event.decision, observed: nil, limit: nil,
                                                detail: event.detail.canonicalJSON)
        #expect(stored.hash == AuditChain.keyedHash(previousHash: Self.genesis, canonicalRow: canonical, key: harness.key))
    }
}
