import GRDB
import Testing
import WardenCore
import WardenFormats
@testable import WardenStore

/// The `actor` of a row (who made the request behind it): hashed after `detail` when present,
/// so rows without one keep their bytes, and one altered, removed or added afterwards is found.
@Suite struct AuditActorTests {
    static let genesis = AuditChain.genesisHash

    func row(actor: String?) -> [UInt8] {
        AuditChain.canonicalRow(version: .v2, seq: 3, timeNanoseconds: 1_700_000_000_000_000_000, rule: "team-budget",
                                kind: "budget", action: "threshold_crossed_up", scope: #"{"team":"search"}"#, decision: "warn",
                                observed: "80.5", limit: "100", detail: #"{"step":80}"#, actor: actor)
    }

    @Test func aVersion2RowWithAnActorEndsWithItAfterTheDetail() {
        #expect(String(decoding: row(actor: "key:ci/AbCd1234"), as: UTF8.self)
            == #"{"v":2,"seq":3,"time_ns":1700000000000000000,"rule":"team-budget","kind":"budget","action":"threshold_crossed_up","scope":"{\"team\":\"search\"}","decision":"warn","observed":"80.5","limit":"100","detail":"{\"step\":80}","actor":"key:ci/AbCd1234"}"#)
        // Computed outside Swift (Python's hmac) from the bytes above.
        #expect(AuditChain.keyedHash(previousHash: Self.genesis, canonicalRow: row(actor: "key:ci/AbCd1234"), key: AuditHarness.key)
            == "e5dc35a53b3bd9f18ff6abe46f52037145009db3ef6355d05bf24697074cab31")
    }

    @Test func aRowWithoutAnActorKeepsTheBytesItHadBeforeActorsExisted() {
        // The hash AuditRowFormatTests pins for the same row written before the field existed.
        #expect(AuditChain.keyedHash(previousHash: Self.genesis, canonicalRow: row(actor: nil), key: AuditHarness.key)
            == "7619d30d36037ace58cdde860fc6922998c9d7bebc38653855c7afc333d9b933")
    }

    static func withActor(_ second: Int64, _ actor: String?) -> AuditEvent {
        var event = auditEvent(second, kind: .reload, action: AuditAction.rulesReloaded, scope: [])
        event.actor = actor
        return event
    }

    @Test func appendedActorsReadBackAndTheChainVerifies() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.append([Self.withActor(0, "key:admin/Ab12Cd34"), Self.withActor(1, nil), Self.withActor(2, "local:root")])
        #expect(try harness.audit.query(AuditQuery()).map(\.event.actor) == ["key:admin/Ab12Cd34", nil, "local:root"])
        #expect(try harness.verify().problem == nil)
    }

    @Test(arguments: ["UPDATE audit_event SET actor = 'key:someone-else/Zz99Zz99' WHERE seq = 1",
                      "UPDATE audit_event SET actor = NULL WHERE seq = 1",
                      "UPDATE audit_event SET actor = 'local:root' WHERE seq = 2"])
    func anActorChangedAfterTheAppendIsAnAlteredRow(_ tampering: String) throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.append([Self.withActor(0, "key:admin/Ab12Cd34"), Self.withActor(1, nil), Self.withActor(2, nil)])
        try harness.tamper(tampering)
        let problem = try #require(try harness.verify().problem)
        #expect(problem.kind == .altered)
        #expect(problem.seq == (tampering.hasSuffix("seq = 2") ? 2 : 1))
    }

    @Test func aScopeFilterKeepsOnlyRowsNamingEveryLabel() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.append([
            auditEvent(0, scope: [("team", "search")]), auditEvent(1, scope: [("org", "acme")]),
            auditEvent(2, scope: [("org", "acme"), ("team", "search")]), auditEvent(3, scope: [("team", "ads")]),
            auditEvent(4, kind: .reload, action: AuditAction.rulesReloaded, scope: []),
        ])
        var query = AuditQuery()
        query.scope = [(key: "team", value: "search")]
        #expect(try harness.audit.query(query).map(\.seq) == [1, 3])
        query.scope.append((key: "org", value: "acme"))
        #expect(try harness.audit.query(query).map(\.seq) == [3])
    }
}
