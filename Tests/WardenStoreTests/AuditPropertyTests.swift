import Foundation
import GRDB
import Testing
import WardenCore
@testable import WardenStore

/// Properties of the chain over random histories. Each run is seeded; a failure message carries
/// the seed so it can be replayed.
@Suite struct AuditPropertyTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func randomAppendsAndPrunesAlwaysVerify(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        var clock: Int64 = 1_700_000_000
        var appended = 0
        var pruned = 0
        for _ in 0..<40 {
            if Int.random(in: 0..<5, using: &random) == 0 {
                let cutoff = clock - Int64.random(in: 0..<30, using: &random)
                pruned += try harness.prune(before: cutoff, batchSize: Int.random(in: 1..<8, using: &random))
            } else {
                let events = (0..<Int.random(in: 1..<6, using: &random)).map { _ in
                    // Mostly increasing times, sometimes a step back (clocks and late events).
                    clock += Int64.random(in: -2..<5, using: &random)
                    return randomAuditEvent(time: clock, using: &random)
                }
                try harness.audit.append(events)
                appended += events.count
            }
            let verification = try harness.verify()
            #expect(verification.isIntact, "seed \(seed): \(verification.summary)")
            // The head counts every row appended, the prunes' own records included.
            let head = try harness.audit.currentHead()
            #expect(head.seq >= Int64(appended), "seed \(seed)")
            #expect(verification.rowsVerified == Int(head.seq) - pruned, "seed \(seed)")
            #expect(verification.keyedRows == verification.rowsVerified, "seed \(seed)")
        }
    }

    @Test func anySingleByteChangeToAnyFieldOfAnyRowIsDetected() throws {
        var random = SeededGenerator(seed: 42)
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        for n in 0..<30 { try harness.audit.append([randomAuditEvent(time: 1_700_000_000 + Int64(n), using: &random)]) }
        try harness.prune(before: 1_700_000_003)
        let columns = ["seq", "time_ns", "rule", "kind", "action", "scope", "decision", "observed", "limit_value", "detail",
                       "prev_hash", "hash", "version"]
        for trial in 0..<150 {
            let seq = Int64.random(in: 4...30, using: &random)
            let column = columns.randomElement(using: &random)!
            let original = try harness.raw("SELECT \(column) FROM audit_event WHERE seq = ?", [seq])
            let changed: DatabaseValue
            switch original.storage {
            case .int64(let value):
                changed = column == "seq" ? (value + 1000).databaseValue
                    : (value ^ (Int64(1) << Int64.random(in: 0..<40, using: &random))).databaseValue
            case .string(let text):
                var bytes = Array(text.utf8)
                let asciiPositions = bytes.indices.filter { bytes[$0] < 0x80 }
                if asciiPositions.isEmpty {
                    bytes.append(UInt8(ascii: "x"))
                } else {
                    let position = asciiPositions.randomElement(using: &random)!
                    var replacement: UInt8
                    repeat { replacement = UInt8.random(in: 0x20..<0x7F, using: &random) } while replacement == bytes[position]
                    bytes[position] = replacement
                }
                changed = String(decoding: bytes, as: UTF8.self).databaseValue
            case .null:
                changed = "0".databaseValue
            default:
                Issue.record("unexpected storage in \(column)")
                continue
            }
            let key = column == "seq" ? seq + 1000 : seq
            try harness.tamper("UPDATE audit_event SET \(column) = ? WHERE seq = ?", [changed, seq])
            let problem = try harness.verify().problem
            #expect(problem?.seq == seq, "trial \(trial): changing \(column) of row \(seq) to \(changed) gave \(problem?.message ?? "no problem")")
            try harness.tamper("UPDATE audit_event SET \(column) = ? WHERE seq = ?", [original, key])
            #expect(try harness.verify().isIntact, "trial \(trial): restoring \(column) of row \(seq)")
        }
    }
}
