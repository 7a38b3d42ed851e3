import Foundation
import GRDB
import Logging
import WardenCore

/// The single writer of the usage log: group commit on a dedicated thread.
///
/// Request threads hand over priced events and a completion; the writer takes everything that
/// queued up while the previous transaction ran and commits it as one transaction, so concurrent
/// requests share one commit (and, with ``Durability/powerLoss``, one fsync). The completion
/// runs only after the commit: an acknowledged event is durable. Deduplication by id happens
/// here, inside the transaction, against the UNIQUE index — so it holds across restarts and
/// across two requests carrying the same id at the same moment.
public final class UsageWriter: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<[IngestOutcome], StoreError>) -> Void

    private struct Submission {
        var events: [PricedEvent]
        var receivedAt: Timestamp
        var completion: Completion
    }

    private let store: UsageStore
    private let ledger: LiveLedger
    private let logger: Logger
    /// Upper bound of events per transaction, so one huge backlog doesn't hold the write lock
    /// (and delay every waiting request) for too long.
    private let maxEventsPerCommit: Int

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [Submission] = []
    private var pendingRejected: [String: Int64] = [:]
    private var state: State = .idle
    private enum State { case idle, running, draining, stopped }
    private let finished = DispatchSemaphore(value: 0)

    public init(store: UsageStore, ledger: LiveLedger, logger: Logger, maxEventsPerCommit: Int = 20_000) {
        self.store = store
        self.ledger = ledger
        self.logger = logger
        self.maxEventsPerCommit = maxEventsPerCommit
    }

    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard state == .idle else { return }
        state = .running
        let thread = Thread { [self] in run() }
        thread.name = "tokenwarden-writer"
        thread.start()
    }

    /// Queues events for the next group commit. `completion` is called exactly once, on the
    /// writer thread, with one outcome per event in order, or with the error that rolled the
    /// whole batch back (nothing of it was recorded).
    public func submit(_ events: [PricedEvent], receivedAt: Timestamp, completion: @escaping Completion) {
        condition.lock()
        guard state == .running else {
            condition.unlock()
            completion(.failure(StoreError(.closed, "the server is shutting down")))
            return
        }
        pending.append(Submission(events: events, receivedAt: receivedAt, completion: completion))
        condition.signal()
        condition.unlock()
    }

    /// Counts rejected events; persisted with the next commit so the counter survives restarts.
    public func noteRejected(reason: String, count: Int = 1) {
        condition.lock()
        pendingRejected[reason, default: 0] += Int64(count)
        if state == .running { condition.signal() }
        condition.unlock()
    }

    /// Stops taking work, commits everything already queued, and returns when the thread is done.
    public func stop() {
        condition.lock()
        let wasRunning = state == .running
        if wasRunning { state = .draining }
        condition.broadcast()
        condition.unlock()
        if wasRunning { finished.wait() }
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && pendingRejected.isEmpty && state == .running { condition.wait() }
            if pending.isEmpty && pendingRejected.isEmpty {
                state = .stopped
                condition.unlock()
                finished.signal()
                return
            }
            var group: [Submission] = []
            var count = 0
            while !pending.isEmpty && (group.isEmpty || count + pending[0].events.count <= maxEventsPerCommit) {
                let next = pending.removeFirst()
                count += next.events.count
                group.append(next)
            }
            let rejected = pendingRejected
            pendingRejected.removeAll()
            condition.unlock()
            commit(group, rejected: rejected)
        }
    }

    private func commit(_ group: [Submission], rejected: [String: Int64]) {
        var outcomes: [[IngestOutcome]] = []
        outcomes.reserveCapacity(group.count)
        var delta = Ledger.Delta()
        do {
            try store.pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    outcomes.removeAll(keepingCapacity: true)
                    let insert = try db.cachedStatement(sql: Self.insertSQL)
                    let lookup = try db.cachedStatement(sql: "SELECT cost, currency FROM usage_event WHERE id = ?")
                    var fresh: [PricedEvent] = []
                    var duplicates: Int64 = 0
                    for submission in group {
                        var results: [IngestOutcome] = []
                        results.reserveCapacity(submission.events.count)
                        for priced in submission.events {
                            Self.bind(insert, priced, receivedAt: submission.receivedAt)
                            try insert.execute()
                            if db.changesCount == 0 {
                                guard let row = try Row.fetchOne(lookup, arguments: [priced.event.id]) else {
                                    throw StoreError(.write, "event \(priced.event.id) was neither inserted nor found")
                                }
                                let costText: String = row[0]
                                results.append(IngestOutcome(id: priced.event.id, cost: try Money.parse(costText).money,
                                                             currency: row[1], duplicate: true))
                                duplicates += 1
                            } else {
                                fresh.append(priced)
                                results.append(IngestOutcome(id: priced.event.id, cost: priced.cost,
                                                             currency: priced.currency, duplicate: false))
                            }
                        }
                        outcomes.append(results)
                    }
                    var initial = Ledger.Delta()
                    initial.duplicates = duplicates
                    initial.rejected = rejected
                    delta = ledger.read { $0.plan(fresh, into: initial) }
                    try LedgerWriter.persist(delta, in: db)
                    return .commit
                }
            }
        } catch {
            let failure = (error as? StoreError) ?? StoreError(.write, "recording usage failed: \(error)")
            logger.error("group commit rolled back", metadata: ["error": "\(failure)", "requests": "\(group.count)"])
            for submission in group { submission.completion(.failure(failure)) }
            return
        }
        ledger.apply(delta)
        for (submission, results) in zip(group, outcomes) { submission.completion(.success(results)) }
    }

    static let standardColumns = ["org", "team", "project", "user", "agent", "session", "feature", "environment"]

    static let insertSQL = """
        INSERT OR IGNORE INTO usage_event (
            id, time_ns, received_ns, provider, model, input_tokens, output_tokens, cache_read_input_tokens,
            cache_creation_input_tokens, reasoning_tokens, cost, currency, priced,
            org, team, project, user, agent, session, feature, environment, attribution, reservation)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    private static func bind(_ statement: Statement, _ priced: PricedEvent, receivedAt: Timestamp) {
        let event = priced.event
        let attribution = event.attribution
        statement.setUncheckedArguments([
            event.id, priced.time.nanosecondsSinceEpoch, receivedAt.nanosecondsSinceEpoch,
            event.provider, event.model, event.tokens.input, event.tokens.output, event.tokens.cacheRead,
            event.tokens.cacheCreation, event.tokens.reasoning, priced.cost.exactDecimal, priced.currency, priced.priced,
            attribution["org"], attribution["team"], attribution["project"], attribution["user"],
            attribution["agent"], attribution["session"], attribution["feature"], attribution["environment"],
            AttributionJSON.encode(attribution), event.reservation,
        ])
    }
}
