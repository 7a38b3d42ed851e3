import Foundation
import Testing
@testable import WardenStore

/// The open database file must still be the one at its path: deleted or replaced, the store
/// would keep acknowledging writes into a file no one can reach.
@Suite struct DatabaseFileIdentityTests {
    @Test func anUntouchedFileHasNoProblem() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        let identity = try DatabaseFileIdentity(path: database.path)
        #expect(identity.problem() == nil)
    }

    @Test func aDeletedFileIsNoticed() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        let identity = try DatabaseFileIdentity(path: database.path)
        try FileManager.default.removeItem(atPath: database.path)
        #expect(identity.problem()?.contains("deleted") == true)
    }

    @Test func aFileReplacedUnderTheSameNameIsNoticed() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        let identity = try DatabaseFileIdentity(path: database.path)
        let copy = database.path + ".copy"
        try FileManager.default.copyItem(atPath: database.path, toPath: copy)
        #expect(rename(copy, database.path) == 0)
        let problem = identity.problem()
        #expect(problem?.contains("deleted") == true || problem?.contains("replaced") == true)
    }

    @Test func aFileHardLinkedElsewhereAndUnlinkedHereIsNoticed() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        let identity = try DatabaseFileIdentity(path: database.path)
        #expect(link(database.path, database.path + ".kept") == 0)
        try FileManager.default.removeItem(atPath: database.path)
        #expect(identity.problem()?.contains("gone") == true)
    }
}
