import Testing
import WardenCore
@testable import WardenStore

/// What the store remembers about pseudonyms, and how it finds raw values of a label.
@Suite struct PrivacyRecordTests {
    @Test func aRecordReadsBackAsSaved() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        #expect(try store.privacyRecord() == nil)
        try store.savePrivacyRecord(PrivacyRecord(keyFingerprint: "630dcd2966c43366", labels: ["user", "session"]))
        #expect(try store.privacyRecord() == PrivacyRecord(keyFingerprint: "630dcd2966c43366", labels: ["session", "user"]))
    }

    @Test func onlyLabelsWithAValueThatIsNoPseudonymHoldRawValues() async throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let harness = try WriterHarness(path: database.path)
        defer { harness.shutdown() }
        #expect(try harness.store.labelsHoldingRawValues(["user", "team"]).isEmpty)
        _ = try await harness.record([event("e1", team: "search", user: "p_34d45cbc91de5ce7295b963a0e35627d")])
        #expect(try harness.store.labelsHoldingRawValues(["user", "team", "session"]) == ["team"])
        _ = try await harness.record([event("e2", user: "alice")])
        #expect(try harness.store.labelsHoldingRawValues(["user", "session"]) == ["user"])
    }
}
