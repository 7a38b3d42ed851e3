import Testing
import WardenCore
import WardenFormats
@testable import WardenStore

@Suite struct NotificationOutboxTests {
    static func step(_ minute: Int64, action: String = AuditAction.thresholdCrossedUp) -> AuditEvent {
        AuditEvent(time: Timestamp(secondsSinceEpoch: 1_772_619_300 + minute * 60), rule: "daily", kind: .budget, action: action,
                   scope: [("team", "search")], decision: "warn", observed: "0.9", limit: "1", detail: AuditDetail([("at", "80%")]))
    }

    static let routes: [NotificationOutbox.Route] = [
        .init(receiver: "hook", actions: Set(NotificationSettings.defaultEvents)),
        .init(receiver: "denies-only", actions: [AuditAction.deny]),
    ]

    @Test func anAuditAppendQueuesItsRowsForMatchingReceiversWithTheSeqAsId() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        let outbox = NotificationOutbox(store: store, routes: Self.routes, limit: 100)
        let log = AuditLog(store: store, key: AuditHarness.key, outbox: outbox)
        let seqs = try log.append([Self.step(0), Self.step(1, action: AuditAction.deny), Self.step(2, action: AuditAction.rulesReloaded)])
        let hook = try outbox.next(receiver: "hook", count: 10)
        #expect(hook.items.map(\.id) == Array(seqs.prefix(2)))
        #expect(hook.depth == 2)
        #expect(try outbox.next(receiver: "denies-only", count: 10).items.map(\.id) == [seqs[1]])
        // The body is the canonical webhook JSON, detail canonicalized like the audit row.
        let body = try NotificationEvent(body: hook.items[0].body)
        #expect(body.id == seqs[0])
        #expect(body.event.detail.canonicalJSON == #"{"at":"80%"}"#)
        store.close()
    }

    @Test func theSameEventIdIsQueuedOnce() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        let outbox = NotificationOutbox(store: store, routes: Self.routes, limit: 100)
        let event = NotificationEvent(id: 5, event: Self.step(0))
        try outbox.enqueue([event])
        try outbox.enqueue([event, event])
        #expect(try outbox.next(receiver: "hook", count: 10).items.map(\.id) == [5])
        store.close()
    }

    @Test func aFullQueueDropsTheOldestAndCountsThem() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        let outbox = NotificationOutbox(store: store, routes: Self.routes, limit: 3)
        let log = AuditLog(store: store, key: AuditHarness.key, outbox: outbox)
        for minute in 0..<5 { try log.append([Self.step(Int64(minute))]) }
        let queued = try outbox.next(receiver: "hook", count: 10)
        #expect(queued.items.map(\.id) == [3, 4, 5])
        #expect(queued.depth == 3)
        #expect(outbox.dropped(receiver: "hook") == 2)
        #expect(outbox.dropped(receiver: "denies-only") == 0)
        store.close()
    }

    @Test func deliveredItemsLeaveAndTheRestKeepTheirOrder() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        let store = try UsageStore(path: database.path, logger: testLogger)
        let outbox = NotificationOutbox(store: store, routes: Self.routes, limit: 100)
        try outbox.enqueue([30, 10, 20].map { NotificationEvent(id: $0, event: Self.step($0)) })
        #expect(try outbox.next(receiver: "hook", count: 2).items.map(\.id) == [10, 20])
        try outbox.delivered(receiver: "hook", ids: [10])
        #expect(try outbox.next(receiver: "hook", count: 10).items.map(\.id) == [20, 30])
        store.close()
    }

    @Test func theQueueSurvivesAReopen() throws {
        let database = try TemporaryDatabase()
        defer { database.remove() }
        do {
            let store = try UsageStore(path: database.path, logger: testLogger)
            let outbox = NotificationOutbox(store: store, routes: Self.routes, limit: 100)
            try AuditLog(store: store, key: AuditHarness.key, outbox: outbox).append([Self.step(0), Self.step(1)])
            try outbox.delivered(receiver: "hook", ids: [1])
            store.close()
        }
        let store = try UsageStore(path: database.path, logger: testLogger)
        let outbox = NotificationOutbox(store: store, routes: Self.routes, limit: 100)
        #expect(try outbox.next(receiver: "hook", count: 10).items.map(\.id) == [2])
        store.close()
    }
}
