import Foundation
import Testing
import WardenCore
@testable import WardenRuntime
import WardenStore

/// Creating, rotating and revoking keys: every field checked, and every change an audit row
/// naming who asked.
@Suite struct KeyAdministrationTests {
    @Test func everyProblemOfARequestIsReportedNamingItsField() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let request = KeyRequest(name: "bad name", roles: ["check", "root"], scope: [("planet", "mars"), ("team", "")], expires: "soon")
        let error = try #require(throws: KeyAdministrationError.self) { try keys.administration.create(request, actor: nil) }
        #expect(error.kind == .invalid)
        #expect(error.problems.map(\.field) == ["name", "roles[1]", "scope.planet", "scope.team", "expires"])
        #expect(error.problems[1].message == #"unknown role "root"; roles: ingest, check, read, approver, admin"#)
    }

    @Test func aScopeKeyFromExtraKeysIsAccepted() throws {
        let keys = try KeyFixture(schema: try AttributionSchema(extraKeys: ["cost_center"]))
        defer { keys.remove() }
        let issued = try keys.create("finance", roles: ["read"], scope: [("cost_center", "cc-7")])
        #expect(issued.key.scope == Attribution(["cost_center": "cc-7"]))
    }

    @Test func aScopeOnAPseudonymisedLabelIsKeptAsItsPseudonym() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let administration = KeyAdministration(store: keys.store, auditLog: keys.auditLog, schema: .standard, clock: keys.clock,
                                                pseudonymisation: PseudonymKeyTests.key.pseudonymisation(labels: ["user"]))
        let issued = try administration.create(KeyRequest(name: "alice", roles: ["check"], scope: [("team", "search"), ("user", "alice")]),
                                               actor: nil)
        #expect(issued.key.scope == Attribution(["team": "search", "user": "p_34d45cbc91de5ce7295b963a0e35627d"]))
        let stored = try administration.list().first { $0.name == "alice" }
        #expect(stored?.scope["user"] == "p_34d45cbc91de5ce7295b963a0e35627d")
    }

    @Test func anAdminKeyCannotBeScoped() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let error = try #require(throws: KeyAdministrationError.self) {
            try keys.administration.create(KeyRequest(name: "ops", roles: ["admin"], scope: [("team", "search")]), actor: nil)
        }
        #expect(error.problems.map(\.field) == ["scope"])
    }

    @Test func aLiveNameCannotBeCreatedTwiceButARevokedOneCan() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        try keys.create("ci", roles: ["check"])
        let error = try #require(throws: KeyAdministrationError.self) { try keys.create("ci", roles: ["check"]) }
        #expect(error.kind == .exists)
        _ = try keys.administration.revoke(name: "ci", id: nil, actor: nil)
        try keys.create("ci", roles: ["ingest"])
        #expect(try keys.administration.list().map(\.name) == ["ci", "ci"])
    }

    @Test func aRotationKeepsRolesScopeAndLifetimeAndListsBothSecretsUntilTheGraceEnds() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let old = try keys.create("ci", roles: ["ingest", "check"], scope: [("team", "search")], expires: "30d")
        keys.clock.advance(seconds: 86_400)
        let new = try keys.administration.rotate(name: "ci", grace: "2h", actor: nil)
        #expect(new.key.roles == old.key.roles)
        #expect(new.key.scope == old.key.scope)
        #expect(new.key.expires == Timestamp(nanosecondsSinceEpoch: keys.clock.now().nanosecondsSinceEpoch + 30 * 86_400_000_000_000))
        #expect(new.replaced.map(\.id) == [old.key.id])
        let graceEnds = Timestamp(nanosecondsSinceEpoch: keys.clock.now().nanosecondsSinceEpoch + 7_200_000_000_000)
        #expect(new.replaced.first?.validUntil == graceEnds)
        let now = keys.clock.now()
        let listed = try keys.administration.list()
        #expect(listed.map(\.id) == [old.key.id, new.key.id])
        #expect(listed.map { $0.status(at: now) } == [.inGrace(until: graceEnds), .active])
    }

    @Test func revokingOneSecretLeavesTheOther() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let old = try keys.create("ci", roles: ["check"])
        let new = try keys.administration.rotate(name: "ci", grace: "1h", actor: nil)
        #expect(try keys.administration.revoke(name: "ci", id: old.key.id, actor: nil).map(\.id) == [old.key.id])
        let now = keys.clock.now()
        #expect(try keys.administration.list().filter { $0.status(at: now).isUsable }.map(\.id) == [new.key.id])
        let error = try #require(throws: KeyAdministrationError.self) { try keys.administration.revoke(name: "ci", id: "Zz99Zz99", actor: nil) }
        #expect(error.kind == .unknownKey)
    }

    @Test func rotatingOrRevokingAnUnknownNameSaysSo() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        #expect(throws: KeyAdministrationError.self) { try keys.administration.rotate(name: "ghost", grace: nil, actor: nil) }
        #expect(throws: KeyAdministrationError.self) { try keys.administration.revoke(name: "ghost", id: nil, actor: nil) }
    }

    @Test func everyChangeIsAnAuditRowNamingTheKeyAndTheActor() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let issued = try keys.administration.create(KeyRequest(name: "ci", roles: ["check"], scope: [("team", "search")]), actor: "key:ops/Ab12Cd34")
        let rotated = try keys.administration.rotate(name: "ci", grace: "0s", actor: "local:alice")
        _ = try keys.administration.revoke(name: "ci", id: nil, actor: "local:bob")
        let rows = try keys.auditLog.query(AuditQuery(kind: .key))
        #expect(rows.map(\.event.action) == [AuditAction.keyCreated, AuditAction.keyRotated, AuditAction.keyRevoked])
        #expect(rows.map(\.event.actor) == ["key:ops/Ab12Cd34", "local:alice", "local:bob"])
        #expect(rows.allSatisfy { $0.event.rule == "ci" && $0.event.scope == [AuditLabel(key: "team", value: "search")] })
        #expect(rows[0].event.detail.text("id") == issued.key.id)
        #expect(rows[1].event.detail["replaced"] == .list([.text(issued.key.id)]))
        // The replaced secret, past its zero grace, is revoked too: nothing of the name works any more.
        // Both secrets, in creation order (by id where the fixture's clock made them at one instant).
        guard case .list(let ids) = rows[2].event.detail["ids"] else { Issue.record("ids is not a list"); return }
        #expect(Set(ids) == [.text(issued.key.id), .text(rotated.key.id)])
        #expect(try keys.auditLog.verify().problem == nil)
    }

    @Test func theSecretIsNotStoredOnlyItsHash() throws {
        let keys = try KeyFixture()
        defer { keys.remove() }
        let issued = try keys.create("ci", roles: ["check"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: keys.path))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: keys.path + "-wal"))) ?? Data()
        for data in [bytes, wal] { #expect(data.range(of: Data(issued.token.secret.utf8)) == nil) }
        #expect(try keys.store.apiKeys().keys.first?.secretSHA256 == APIKeyToken.sha256(issued.token.secret))
    }
}
