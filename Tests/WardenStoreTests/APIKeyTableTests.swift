import Foundation
import GRDB
import Testing
import WardenCore
@testable import WardenStore

/// The `api_key` table: rows read back as written, a generation that moves with every change
/// but a new last use, and changes that commit with their audit rows or not at all.
@Suite struct APIKeyTableTests {
    static func key(_ id: String, name: String = "ci", scope: [String: String] = ["team": "search"]) -> StoredAPIKey {
        StoredAPIKey(id: id, name: name, secretSHA256: [UInt8](repeating: 7, count: 32), roles: ["ingest", "check"],
                     scope: Attribution(scope), created: Timestamp(secondsSinceEpoch: 1_800_000_000),
                     expires: Timestamp(secondsSinceEpoch: 1_800_086_400))
    }

    static func created(_ key: StoredAPIKey) -> AuditEvent {
        AuditEvent(time: key.created, rule: key.name, kind: .key, action: AuditAction.keyCreated, actor: "local:test")
    }

    @Test func rowsReadBackAsWritten() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        let written = Self.key("Ab12Cd34")
        try harness.audit.changeAPIKeys { transaction in
            try transaction.insert(written)
            return ((), [Self.created(written)])
        }
        #expect(try harness.store.apiKeys().keys == [written])
    }

    @Test func theGenerationMovesWithEveryChangeButNotWithALastUse() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        let start = try harness.store.apiKeyGeneration()
        try harness.audit.changeAPIKeys { transaction in
            try transaction.insert(Self.key("Ab12Cd34"))
            return ((), [])
        }
        let afterInsert = try harness.store.apiKeyGeneration()
        #expect(afterInsert > start)
        try harness.store.recordAPIKeyUse([(id: "Ab12Cd34", at: Timestamp(secondsSinceEpoch: 1_800_000_100))])
        #expect(try harness.store.apiKeyGeneration() == afterInsert)
        #expect(try harness.store.apiKeys().keys.first?.lastUsed == Timestamp(secondsSinceEpoch: 1_800_000_100))
        try harness.audit.changeAPIKeys { transaction in
            try transaction.revoke(id: "Ab12Cd34", at: Timestamp(secondsSinceEpoch: 1_800_000_200))
            return ((), [])
        }
        #expect(try harness.store.apiKeyGeneration() > afterInsert)
        // An edit made outside TokenWarden (sqlite3) moves it too, so a running server notices.
        let beforeEdit = try harness.store.apiKeyGeneration()
        try harness.tamper("UPDATE api_key SET roles = 'read'")
        #expect(try harness.store.apiKeyGeneration() > beforeEdit)
    }

    @Test func aLastUseNeverMovesBackwards() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.changeAPIKeys { transaction in
            try transaction.insert(Self.key("Ab12Cd34"))
            return ((), [])
        }
        try harness.store.recordAPIKeyUse([(id: "Ab12Cd34", at: Timestamp(secondsSinceEpoch: 1_800_000_200))])
        try harness.store.recordAPIKeyUse([(id: "Ab12Cd34", at: Timestamp(secondsSinceEpoch: 1_800_000_100))])
        #expect(try harness.store.apiKeys().keys.first?.lastUsed == Timestamp(secondsSinceEpoch: 1_800_000_200))
    }

    struct Refused: Error {}

    @Test func aChangeThatFailsLeavesNeitherTheKeyNorItsAuditRow() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        #expect(throws: Refused.self) {
            try harness.audit.changeAPIKeys { transaction -> ((), [AuditEvent]) in
                try transaction.insert(Self.key("Ab12Cd34"))
                throw Refused()
            }
        }
        #expect(try harness.store.apiKeys().keys.isEmpty)
        #expect(try harness.audit.query(AuditQuery()).isEmpty)
    }

    @Test func aKeyAndItsAuditRowCommitTogetherAndTheChainVerifies() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        try harness.audit.append([auditEvent(0)])
        let key = Self.key("Ab12Cd34")
        try harness.audit.changeAPIKeys { transaction in
            try transaction.insert(key)
            return ((), [Self.created(key)])
        }
        try harness.audit.append([auditEvent(1)])
        let rows = try harness.audit.query(AuditQuery())
        #expect(rows.map(\.event.action) == [AuditAction.thresholdCrossedUp, AuditAction.keyCreated, AuditAction.thresholdCrossedUp])
        #expect(rows[1].event.actor == "local:test")
        #expect(try harness.verify().problem == nil)
        #expect(harness.audit.headSeq == 3)
    }

    @Test func aSavedReservationKeepsTheKeyThatMadeIt() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        let saved = [
            SavedReservation(id: "r1", createdAt: Timestamp(secondsSinceEpoch: 1), expiresAt: Timestamp(secondsSinceEpoch: 301),
                             money: .zero, currency: "USD", tokens: 1, attribution: Attribution(), keyName: "ci"),
            SavedReservation(id: "r2", createdAt: Timestamp(secondsSinceEpoch: 2), expiresAt: Timestamp(secondsSinceEpoch: 302),
                             money: .zero, currency: "USD", tokens: 1, attribution: Attribution()),
        ]
        try store.saveReservations(saved)
        #expect(try store.takeSavedReservations().map(\.keyName) == ["ci", nil])
    }
}
