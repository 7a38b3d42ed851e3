import Foundation
import GRDB
import WardenCore
@testable import WardenStore

/// A database with an audit log on it, plus a second, raw connection for tampering the way an
/// operator with `sqlite3` would.
struct AuditHarness {
    let database: TemporaryDatabase
    let store: UsageStore
    let audit: AuditLog

    init(database: TemporaryDatabase? = nil) throws {
        self.database = try database ?? TemporaryDatabase()
        store = try UsageStore(path: self.database.path, logger: testLogger)
        audit = AuditLog(store: store)
    }

    /// Runs `sql` on a separate GRDB connection, outside TokenWarden's code.
    func tamper(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: database.path, configuration: configuration)
        try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
        try queue.close()
    }

    /// Reads one value on a separate connection.
    func raw(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws -> DatabaseValue {
        let queue = try DatabaseQueue(path: database.path)
        defer { try? queue.close() }
        return try queue.read { db in try DatabaseValue.fetchOne(db, sql: sql, arguments: arguments) ?? .null }
    }

    func verify() throws -> AuditVerification { try audit.verify() }

    func close() {
        store.close()
    }

    func closeAndRemove() {
        store.close()
        database.remove()
    }
}

func auditEvent(
    _ second: Int64, rule: String = "team-budget", kind: AuditKind = .budget, action: String = AuditAction.thresholdCrossedUp,
    scope: [(key: String, value: String)] = [("team", "search")], decision: String = "warn",
    observed: String? = "80.5", limit: String? = "100", detail: String = #"{"step":80}"#
) -> AuditEvent {
    AuditEvent(time: Timestamp(secondsSinceEpoch: 1_700_000_000 + second), rule: rule, kind: kind, action: action,
               scope: scope, decision: decision, observed: observed, limit: limit, detail: detail)
}

/// A small seeded generator, so a failing property run can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func randomAuditEvent(time: Int64, using random: inout SeededGenerator) -> AuditEvent {
    let rules = ["team-budget", "org-quota", "pii-policy", "", "weird \"rule\"\n"]
    let actions = [AuditAction.thresholdCrossedUp, AuditAction.thresholdCrossedDown, AuditAction.deny,
                   AuditAction.throttleStarted, AuditAction.throttleEnded, AuditAction.policyViolation,
                   AuditAction.reservationExpired, AuditAction.rulesReloaded]
    let decisions = ["allow", "warn", "throttle", "deny", "require_approval", "notify", ""]
    let teams = ["search", "ads", "rêves", "a,b"]
    var scope: [(key: String, value: String)] = []
    if Bool.random(using: &random) { scope.append(("team", teams.randomElement(using: &random)!)) }
    if Bool.random(using: &random) { scope.append(("user", "u\(Int.random(in: 0..<100, using: &random))")) }
    let observed = Bool.random(using: &random) ? "\(Int.random(in: 0..<1000, using: &random)).\(Int.random(in: 0..<100, using: &random))" : nil
    let detail = Bool.random(using: &random) ? #"{"z":[1,2.50,null],"a":{"b":true},"m":"x\"y"}"# : "{}"
    return AuditEvent(time: Timestamp(secondsSinceEpoch: time), rule: rules.randomElement(using: &random)!,
                      kind: AuditKind.allCases.randomElement(using: &random)!, action: actions.randomElement(using: &random)!,
                      scope: scope, decision: decisions.randomElement(using: &random)!, observed: observed,
                      limit: observed == nil ? nil : "100", detail: detail)
}
