import Foundation
import GRDB
import WardenCore
import WardenFormats
@testable import WardenStore

/// A database with an audit log on it, plus a second, raw connection for tampering the way an
/// operator with `sqlite3` would.
struct AuditHarness {
    /// The key every harness uses unless told otherwise, so a reopened database keeps its key.
    static let keyBytes = [UInt8](0..<32)
    static let key = AuditKey(bytes: keyBytes)!
    /// When the harness's prunes say they ran (after every event time the tests use).
    static let pruneTime = Timestamp(secondsSinceEpoch: 1_900_000_000)

    let database: TemporaryDatabase
    let store: UsageStore
    let audit: AuditLog
    let key: AuditKey

    /// With `open`, the log is opened as the server opens it at start (its anchor sealed).
    init(database: TemporaryDatabase? = nil, key: AuditKey = AuditHarness.key, open: Bool = true,
         publication: AuditHeadPublication? = nil) throws {
        self.database = try database ?? TemporaryDatabase()
        self.key = key
        store = try UsageStore(path: self.database.path, logger: testLogger)
        audit = AuditLog(store: store, key: key, publication: publication)
        if open { try audit.open() }
    }

    /// Prunes rows older than `seconds` after the epoch of ``auditEvent(_:)``'s times.
    @discardableResult
    func prune(before seconds: Int64, batchSize: Int = 10_000) throws -> Int {
        try audit.prune(before: Timestamp(secondsSinceEpoch: seconds), at: Self.pruneTime, batchSize: batchSize)
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

    func verify(expectedHead: AuditHead? = nil) throws -> AuditVerification { try audit.verify(expectedHead: expectedHead) }

    /// Verifies with another key (or none), as `audit verify --key` would.
    func verify(key: AuditKey?, expectedHead: AuditHead? = nil) throws -> AuditVerification {
        try AuditLog.verify(store, key: key, expectedHead: expectedHead)
    }

    /// The stored anchor, read on a separate connection.
    func anchor() throws -> AuditAnchor {
        let queue = try DatabaseQueue(path: database.path)
        defer { try? queue.close() }
        return try queue.read { try AuditAnchor.read($0) }
    }

    /// Rewrites `audit_event` from row `from` on the way an attacker without the key would:
    /// `change` edits a row's columns, then every hash from there on is recomputed as an
    /// unkeyed (version 1) SHA-256 chain, or, with `keepVersion`, as SHA-256 over each row's own
    /// format; the anchor's head follows unless `fixAnchor` is false.
    func rewriteUnkeyed(from: Int64, relabel: Bool, fixAnchor: Bool = true, _ change: (inout StoredAuditEvent) -> Void = { _ in }) throws {
        let rows = try audit.query(AuditQuery(limit: 100_000)).filter { $0.seq >= from }
        var previous = rows.first?.prevHash ?? AuditChain.genesisHash
        for var stored in rows {
            change(&stored)
            let version: AuditRowVersion = relabel ? .v1 : (AuditRowVersion(rawValue: stored.version) ?? .v1)
            let event = stored.event
            let canonical = AuditChain.canonicalRow(version: version, seq: stored.seq, timeNanoseconds: event.time.nanosecondsSinceEpoch,
                                                    rule: event.rule, kind: event.kind.rawValue, action: event.action,
                                                    scope: event.scopeJSON, decision: event.decision, observed: event.observed,
                                                    limit: event.limit, detail: event.detail.canonicalJSON)
            let hash = AuditChain.hash(previousHash: previous, canonicalRow: canonical)!
            try tamper("""
                UPDATE audit_event SET rule = ?, decision = ?, observed = ?, limit_value = ?, detail = ?, prev_hash = ?, hash = ?, version = ?
                WHERE seq = ?
                """, [event.rule, event.decision, event.observed, event.limit, event.detail.canonicalJSON, previous, hash, version.rawValue, stored.seq])
            previous = hash
        }
        if fixAnchor, let last = rows.last {
            try tamper("UPDATE audit_anchor SET head_seq = ?, head_hash = ?", [last.seq, previous])
        }
    }

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
               scope: scope, decision: decision, observed: observed, limit: limit, detail: try! AuditDetail(json: detail))
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
                      limit: observed == nil ? nil : "100", detail: try! AuditDetail(json: detail))
}

/// Writes `events` as version 1 (unkeyed) rows into a new database at the schema from before
/// keying, the way an earlier TokenWarden left it; rows up to `prunedThrough` are then pruned
/// the way it pruned (gone, the anchor moved, nothing recorded in the chain). Returns the head.
@discardableResult
func writeUnkeyedLog(at path: String, _ events: [AuditEvent], prunedThrough: Int64 = 0) throws -> AuditHead {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    try Schema.migrator.migrate(queue, upTo: "v4-saved-reservations")
    return try queue.write { db in
        var head = AuditHead(seq: 0, hash: AuditChain.genesisHash)
        var pruned = head
        for event in events {
            let seq = head.seq + 1
            let detail = event.detail.canonicalJSON
            let canonical = AuditChain.canonicalRow(version: .v1, seq: seq, timeNanoseconds: event.time.nanosecondsSinceEpoch,
                                                    rule: event.rule, kind: event.kind.rawValue, action: event.action,
                                                    scope: event.scopeJSON, decision: event.decision, observed: event.observed,
                                                    limit: event.limit, detail: detail)
            let hash = AuditChain.hash(previousHash: head.hash, canonicalRow: canonical)!
            try db.execute(sql: """
                INSERT INTO audit_event(seq, time_ns, rule, kind, action, scope, decision, observed, limit_value, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [seq, event.time.nanosecondsSinceEpoch, event.rule, event.kind.rawValue, event.action, event.scopeJSON,
                                 event.decision, event.observed, event.limit, detail, head.hash, hash])
            head = AuditHead(seq: seq, hash: hash)
            if seq == prunedThrough { pruned = head }
        }
        try db.execute(sql: "DELETE FROM audit_event WHERE seq <= ?", arguments: [pruned.seq])
        try db.execute(sql: "UPDATE audit_anchor SET pruned_seq = ?, pruned_hash = ?, head_seq = ?, head_hash = ?",
                       arguments: [pruned.seq, pruned.hash, head.seq, head.hash])
        return head
    }
}

/// Writes `bytes` as a key file (64 hex digits) with `mode`; returns its path.
func writeKeyFile(_ bytes: [UInt8], in directory: URL, name: String = "audit.key", mode: mode_t = 0o600, text: String? = nil) throws -> String {
    let path = directory.appendingPathComponent(name).path
    try (text ?? LowercaseHex.encode(bytes) + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    chmod(path, mode)
    return path
}
