import Foundation
import GRDB
import Testing
import WardenCore
@testable import WardenStore

@Suite struct SavedReservationsTests {
    static func saved(_ id: String, at seconds: Int64, money: String, attribution: [String: String]) -> SavedReservation {
        SavedReservation(id: id, createdAt: Timestamp(secondsSinceEpoch: seconds), expiresAt: Timestamp(secondsSinceEpoch: seconds + 300),
                         money: try! Money(exactly: money), currency: "USD", tokens: 1_234, attribution: Attribution(attribution))
    }

    @Test func savedReservationsAreTakenOnceExactlyAsSavedAcrossAReopen() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let reservations = [
            Self.saved("rsv_b", at: 1_800_000_000, money: "0.000000000000000001", attribution: ["org": "acme", "team": "quote\"s \\ ü"]),
            Self.saved("rsv_a", at: 1_800_000_001, money: "123456789.123456789012345678", attribution: [:]),
        ]
        do {
            let store = try UsageStore(path: database.path, logger: testLogger)
            try store.saveReservations(reservations)
            store.close()
        }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        // In the order saved, amounts to the atto, labels as they were.
        #expect(try store.takeSavedReservations() == reservations)
        #expect(try store.takeSavedReservations().isEmpty)
    }

    @Test func savingReplacesWhatWasSaved() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        try store.saveReservations([Self.saved("r1", at: 1, money: "1", attribution: ["org": "a"])])
        try store.saveReservations([Self.saved("r2", at: 2, money: "2", attribution: ["org": "b"])])
        #expect(try store.takeSavedReservations().map(\.id) == ["r2"])
    }

    @Test func aCorruptSavedRowIsAnErrorNamingItAndNothingIsDeleted() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        defer { store.close() }
        try store.saveReservations([Self.saved("r1", at: 1, money: "1", attribution: ["org": "a"])])
        try store.pool.write { try $0.execute(sql: "UPDATE saved_reservation SET money = 'lots'") }
        #expect { try store.takeSavedReservations() } throws: { "\($0)".contains("saved reservation r1") }
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM saved_reservation") } == 1)
    }
}
