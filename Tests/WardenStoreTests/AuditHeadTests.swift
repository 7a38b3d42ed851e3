import Foundation
import Logging
import Synchronization
import Testing
import WardenCore
@testable import WardenStore

@Suite struct AuditHeadTests {
    static let hash = String(repeating: "ab", count: 32)

    @Test func aHeadIsWrittenAndParsedAsSeqColonHash() {
        let head = AuditHead(seq: 1042, hash: Self.hash)
        #expect(head.description == "1042:\(Self.hash)")
        #expect(AuditHead("1042:\(Self.hash)") == head)
        #expect(AuditHead("0:\(AuditChain.genesisHash)") == AuditHead(seq: 0, hash: AuditChain.genesisHash))
    }

    @Test(arguments: ["1042", "1042:", ":\(hash)", "-1:\(hash)", "+1:\(hash)", "x:\(hash)", "1042:\(hash.uppercased())",
                      "1042:\(hash.dropLast())", "1042:\(hash)0", " 1042:\(hash)"])
    func aMalformedHeadIsRefused(text: String) {
        #expect(AuditHead(text) == nil)
    }

    @Test func theHeadIsPublishedAtOpenAndEachTimeTheChainPassesAMultipleOfTheInterval() throws {
        let lines = LogLines()
        let harness = try AuditHarness(publication: AuditHeadPublication(every: 3, logger: lines.logger))
        defer { harness.closeAndRemove() }
        try harness.audit.append([auditEvent(0)])
        try harness.audit.append([auditEvent(1)])
        #expect(lines.heads.map(\.reason) == ["start"])
        try harness.audit.append([auditEvent(2)])
        try harness.audit.append([auditEvent(3), auditEvent(4), auditEvent(5), auditEvent(6)])
        try harness.audit.append([auditEvent(7)])
        harness.audit.publishHead(reason: "shutdown")

        let rows = try harness.audit.query(AuditQuery())
        #expect(lines.heads.map(\.reason) == ["start", "every 3 rows", "every 3 rows", "shutdown"])
        #expect(lines.heads.map(\.head) == [
            AuditHead(seq: 0, hash: AuditChain.genesisHash),
            AuditHead(seq: 3, hash: rows[2].hash),
            AuditHead(seq: 7, hash: rows[6].hash),
            AuditHead(seq: 8, hash: rows[7].hash),
        ])
        #expect(lines.levels.allSatisfy { $0 == .notice })
        // Each published head verifies as an expected head.
        for published in lines.heads { #expect(try harness.verify(expectedHead: published.head).isIntact) }
    }

    @Test func theHeadSequenceFollowsAppendsAndPrunes() throws {
        let harness = try AuditHarness()
        defer { harness.closeAndRemove() }
        #expect(harness.audit.headSeq == 0)
        try harness.audit.append([auditEvent(0), auditEvent(1)])
        #expect(harness.audit.headSeq == 2)
        try harness.prune(before: 1_700_000_001)
        #expect(harness.audit.headSeq == 3)
    }
}

/// A log handler that keeps what it is given.
final class LogLines: Sendable {
    private let entries = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

    var logger: Logger {
        Logger(label: "tests", factory: { _ in Handler(lines: self) })
    }

    var levels: [Logger.Level] { entries.withLock { $0.map(\.level) } }

    /// The `head=` and `reason=` of every "audit chain head" line.
    var heads: [(head: AuditHead, reason: String)] {
        entries.withLock { entries in
            entries.filter { $0.message == "audit chain head" }.compactMap { entry in
                guard let head = entry.metadata["head"].flatMap({ AuditHead("\($0)") }) else { return nil }
                return (head, entry.metadata["reason"].map { "\($0)" } ?? "")
            }
        }
    }

    struct Handler: LogHandler {
        let lines: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            lines.entries.withLock { $0.append((event.level, "\(event.message)", metadata.merging(event.metadata ?? [:]) { $1 })) }
        }
    }
}
