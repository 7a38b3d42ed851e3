import Foundation
import Logging
import Synchronization
import WardenCore
@testable import WardenRuntime
import WardenStore

/// A clock the test moves by hand.
final class ManualClock: WallClock, Sendable {
    private let time: Mutex<Timestamp>
    init(_ seconds: Int64 = 1_800_000_000) { time = Mutex(Timestamp(secondsSinceEpoch: seconds)) }
    func now() -> Timestamp { time.withLock { $0 } }
    func advance(seconds: Int64) {
        time.withLock { $0 = Timestamp(nanosecondsSinceEpoch: $0.nanosecondsSinceEpoch + seconds * 1_000_000_000) }
    }
}

/// A database with an audit log, the key administration and a key ring over it, as a server
/// has them; ``otherProcess()`` opens the same file again, as `tokenwarden keys` does.
struct KeyFixture {
    static let logger = Logger(label: "tokenwarden.tests")
    let directory: URL
    let store: UsageStore
    let auditLog: AuditLog
    let clock: ManualClock
    let administration: KeyAdministration
    let ring: KeyRing
    var path: String { directory.appendingPathComponent("tokenwarden.sqlite").path }
    static let auditKey = AuditKey(bytes: [UInt8](0..<32))!

    init(schema: AttributionSchema = .standard) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try UsageStore(path: directory.appendingPathComponent("tokenwarden.sqlite").path, logger: Self.logger)
        auditLog = AuditLog(store: store, key: Self.auditKey)
        try auditLog.open()
        clock = ManualClock()
        ring = KeyRing(store: store, clock: clock, logger: Self.logger)
        try ring.reload()
        administration = KeyAdministration(store: store, auditLog: auditLog, schema: schema, clock: clock)
    }

    /// The same file through its own connections, as another process would write it.
    func otherProcess() throws -> (KeyAdministration, UsageStore) {
        let other = try UsageStore(path: path, logger: Self.logger)
        let log = AuditLog(store: other, key: Self.auditKey)
        try log.open()
        return (KeyAdministration(store: other, auditLog: log, schema: .standard, clock: clock), other)
    }

    @discardableResult
    func create(_ name: String, roles: [String], scope: [(key: String, value: String)] = [], expires: String? = nil) throws -> IssuedKey {
        let issued = try administration.create(KeyRequest(name: name, roles: roles, scope: scope, expires: expires), actor: "local:test")
        try ring.reload()
        return issued
    }

    func remove() {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
