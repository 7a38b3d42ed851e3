import Foundation
import GRDB
import GRDBSQLite
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
        /// Each event's series, and its index when the ledger already had it at submission.
        var seriesKeys: [SeriesKey]
        var seriesIndices: [Int?]
        /// Rendered on the submitting thread (see ``UsageRow``).
        var rows: [UsageRow]
        /// Every event as newly recorded; the writer overwrites the duplicates'.
        var outcomes: [IngestOutcome]
        var completion: Completion
    }

    private let store: UsageStore
    private let ledger: LiveLedger
    /// The ledger's label keys (fixed for its life; a restore replaces it with the same keys).
    private let labelKeys: [String]
    private let logger: Logger
    /// Upper bound of events per transaction, so one huge backlog doesn't hold the write lock
    /// (and delay every waiting request) for too long.
    private let maxEventsPerCommit: Int
    /// Ledger checkpoints (see ``LedgerWriter``): at most this long apart while events arrive...
    private let checkpointInterval: Duration
    /// ...and after at most this many events, which bounds what a restart replays.
    private let checkpointEvents: Int
    /// The reporting periods each commit counts its events in (``Ledger/periodSpend``), by the
    /// clock's time of the commit; none without them.
    private let reporting: ReportingCalendar?
    private let clock: (any WallClock)?

    // Only touched by the writer thread.
    private var lastCheckpoint = ContinuousClock.now
    private var eventsSinceCheckpoint = 0
    /// Rejections counted in memory whose commit failed: written with the next one that succeeds.
    private var unpersistedRejected: [String: Int64] = [:]
    /// Requests in the previous group commit: a busy writer lingers briefly before the next.
    private var previousGroupSize = 0
    /// The reporting windows of the last commit, kept while the clock stays inside them.
    private var windows: ReportingWindows?
    static let lingerMicroseconds: UInt32 = 300

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [Submission] = []
    private var pendingRejected: [String: Int64] = [:]
    private var state: State = .idle
    private enum State { case idle, running, draining, stopped }
    private let finished = DispatchSemaphore(value: 0)
    /// Runs the completions of committed groups, one group after another in commit order.
    private let acknowledgements = DispatchQueue(label: "tokenwarden-acknowledge")

    public init(store: UsageStore, ledger: LiveLedger, logger: Logger, maxEventsPerCommit: Int = 20_000,
                checkpointInterval: Duration = .seconds(2), checkpointEvents: Int = 200_000,
                reporting: ReportingCalendar? = nil, clock: (any WallClock)? = nil) {
        self.store = store
        self.ledger = ledger
        labelKeys = ledger.read { $0.labelKeys }
        self.logger = logger
        self.maxEventsPerCommit = maxEventsPerCommit
        self.checkpointInterval = checkpointInterval
        self.checkpointEvents = checkpointEvents
        self.reporting = reporting
        self.clock = clock
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

    /// Queues events for the next group commit. `completion` is called exactly once, after the
    /// commit, with one outcome per event in order, or with the error that rolled the whole batch
    /// back (nothing of it was recorded). Completions run on one thread (not the writer's), in
    /// commit order, and the ledger already counts the events when they run.
    public func submit(_ events: [PricedEvent], receivedAt: Timestamp, completion: @escaping Completion) {
        // Rendered here, on the caller's thread, to keep the single writer thread for SQLite.
        let rows = events.map { UsageRow($0, receivedAt: receivedAt) }
        let outcomes = events.map { IngestOutcome(id: $0.event.id, cost: $0.cost, currency: $0.currency, duplicate: false) }
        let labelKeys = self.labelKeys
        let seriesKeys = events.map { SeriesKey(event: $0.event, labelKeys: labelKeys) }
        let seriesIndices = ledger.read { ledger in seriesKeys.map { ledger.seriesIndex(of: $0) } }
        condition.lock()
        guard state == .running else {
            condition.unlock()
            completion(.failure(StoreError(.closed, "the server is shutting down")))
            return
        }
        pending.append(Submission(events: events, seriesKeys: seriesKeys, seriesIndices: seriesIndices, rows: rows, outcomes: outcomes, completion: completion))
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
        // Every completion has run when stop returns.
        acknowledgements.sync {}
    }

    private func run() {
        while true {
            condition.lock()
            while pending.isEmpty && pendingRejected.isEmpty && state == .running {
                if eventsSinceCheckpoint > 0 {
                    // Idle with events not yet in a ledger checkpoint: write one when it is due.
                    if !condition.wait(until: Date(timeIntervalSinceNow: 0.5)) && pending.isEmpty && pendingRejected.isEmpty {
                        condition.unlock()
                        checkpointLedgerIfDue()
                        condition.lock()
                    }
                } else {
                    condition.wait()
                }
            }
            if pending.isEmpty && pendingRejected.isEmpty {
                condition.unlock()
                // Drained: a final checkpoint, so the next start has nothing to replay.
                checkpointLedgerIfDue(force: true)
                condition.lock()
                if !pending.isEmpty || !pendingRejected.isEmpty {
                    condition.unlock()
                    continue
                }
                state = .stopped
                condition.unlock()
                finished.signal()
                return
            }
            if previousGroupSize >= 4 && pending.count < previousGroupSize / 2 && state == .running {
                // Busy: requests are arriving while commits run. Waiting a moment lets more of
                // them share this commit; tiny commits cost the writer (and, on a small machine,
                // the request threads it shares the cores with) far more per event.
                condition.unlock()
                usleep(Self.lingerMicroseconds)
                condition.lock()
            }
            var group: [Submission] = []
            var count = 0
            if pending.count <= maxEventsPerCommit && pending.reduce(0, { $0 + $1.events.count }) <= maxEventsPerCommit {
                swap(&group, &pending)
            }
            while !pending.isEmpty && (group.isEmpty || count + pending[0].events.count <= maxEventsPerCommit) {
                let next = pending.removeFirst()
                count += next.events.count
                group.append(next)
            }
            let rejected = pendingRejected
            pendingRejected.removeAll()
            condition.unlock()
            previousGroupSize = group.count
            commit(group, rejected: rejected)
        }
    }

    private func commit(_ group: [Submission], rejected: [String: Int64]) {
        // Rejections whose earlier commit failed are already counted in memory; they are only
        // written, with this commit's.
        var persistedRejected = unpersistedRejected
        persistedRejected.merge(rejected, uniquingKeysWith: +)
        var outcomes: [[IngestOutcome]] = []
        outcomes.reserveCapacity(group.count)
        var delta = Ledger.Delta()
        do {
            try store.pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    outcomes.removeAll(keepingCapacity: true)
                    let insert = try db.cachedStatement(sql: Self.insertSQL).sqliteStatement
                    // Positions of the duplicates, per submission; nearly always none at all.
                    var duplicatePositions: [Int: [Int]] = [:]
                    var duplicates: Int64 = 0
                    for number in group.indices {
                        var results = group[number].outcomes
                        // Rows are bound in place; copying each out of its array retained its buffers.
                        try group[number].rows.withUnsafeBufferPointer { rows in
                            for position in rows.indices {
                                let code = rows[position].insert(with: insert)
                                guard code == SQLITE_DONE else {
                                    throw StoreError(.write, "inserting event \(rows[position].id) failed: \(String(cString: sqlite3_errstr(code)))")
                                }
                                if db.changesCount == 0 {
                                    let id = rows[position].id
                                    let lookup = try db.cachedStatement(sql: "SELECT cost, currency FROM usage_event WHERE id = ?")
                                    guard let found = try Row.fetchOne(lookup, arguments: [id]) else {
                                        throw StoreError(.write, "event \(id) was neither inserted nor found")
                                    }
                                    let costText: String = found[0]
                                    results[position] = IngestOutcome(id: id, cost: try Money.parse(costText).money,
                                                                      currency: found[1], duplicate: true)
                                    duplicates += 1
                                    duplicatePositions[number, default: []].append(position)
                                }
                            }
                        }
                        outcomes.append(results)
                    }
                    var initial = Ledger.Delta()
                    initial.duplicates = duplicates
                    initial.rejected = rejected
                    initial.windows = currentWindows()
                    delta = ledger.read { ledger in
                        // The events are planned where they lie, not copied into one array first:
                        // copying (and later freeing) every event was a tenth of the writer's time.
                        ledger.plan(batches: group.indices.lazy.map { number in
                            let submission = group[number]
                            guard let skipped = duplicatePositions[number] else {
                                return (events: submission.events, keys: submission.seriesKeys, indices: submission.seriesIndices)
                            }
                            let kept = submission.events.indices.filter { !skipped.contains($0) }
                            return (events: kept.map { submission.events[$0] }, keys: kept.map { submission.seriesKeys[$0] },
                                    indices: kept.map { submission.seriesIndices[$0] })
                        }, into: initial)
                    }
                    try LedgerWriter.persistIncrements(duplicates: duplicates, rejected: persistedRejected, in: db)
                    return .commit
                }
            }
        } catch {
            let failure = (error as? StoreError) ?? StoreError(.write, "recording usage failed: \(error)")
            logger.error("group commit rolled back", metadata: ["error": "\(failure)", "requests": "\(group.count)"])
            // The rejections happened whether or not they could be written: counted now, written
            // with the next commit that succeeds (a failing disk must not hide its own 503s).
            if !rejected.isEmpty {
                var counted = Ledger.Delta()
                counted.rejected = rejected
                ledger.apply(counted)
                unpersistedRejected = persistedRejected
            }
            acknowledgements.async {
                for submission in group { submission.completion(.failure(failure)) }
            }
            return
        }
        ledger.apply(delta)
        unpersistedRejected.removeAll()
        eventsSinceCheckpoint += group.reduce(0) { $0 + $1.rows.count }
        // The group is durable. Answering it (a libmicrohttpd resume per request, the rule engine's
        // record) and freeing its events happen on another thread, in commit order, while this one
        // starts the next commit: the writer thread bounds ingest, and these took a large share of it.
        let acknowledged = outcomes
        acknowledgements.async {
            for (submission, results) in zip(group, acknowledged) { submission.completion(.success(results)) }
        }
        checkpointLedgerIfDue()
    }

    /// The reporting windows containing the clock's now, computed again only when it leaves them.
    private func currentWindows() -> ReportingWindows? {
        guard let reporting, let clock else { return nil }
        let now = clock.now()
        if let windows, windows.contain(now) { return windows }
        windows = reporting.windows(containing: now)
        return windows
    }

    /// Writes the ledger checkpoint when one is due: every ``checkpointInterval`` while events
    /// arrive, or sooner after ``checkpointEvents`` events, so that a restart replays at most
    /// about that many events. Runs between group commits, on the writer thread, in its own
    /// transaction: the ledger then holds exactly the events up to ``lastSeq``.
    private func checkpointLedgerIfDue(force: Bool = false) {
        let now = ContinuousClock.now
        guard force || eventsSinceCheckpoint >= checkpointEvents || now - lastCheckpoint >= checkpointInterval else { return }
        guard ledger.read({ $0.hasUncheckpointedChanges }) else {
            lastCheckpoint = now
            eventsSinceCheckpoint = 0
            return
        }
        let checkpoint = ledger.takeCheckpoint()
        do {
            try store.pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let seq = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM usage_event") ?? 0
                    try LedgerWriter.persist(checkpoint, throughSeq: seq, in: db)
                    return .commit
                }
            }
            lastCheckpoint = now
            eventsSinceCheckpoint = 0
        } catch {
            // Nothing is lost: the events are in the usage log and a restart replays them from the
            // previous checkpoint. The changes are handed back so the next checkpoint retries them.
            ledger.restoreUncheckpointed(checkpoint)
            logger.error("ledger checkpoint failed; retrying with the next one", metadata: ["error": "\(error)"])
            lastCheckpoint = now
        }
    }

    static let standardColumns = ["org", "team", "project", "user", "agent", "session", "feature", "environment"]

    static let insertSQL = """
        INSERT OR IGNORE INTO usage_event (
            id, time_ns, received_ns, provider, model, input_tokens, output_tokens, cache_read_input_tokens,
            cache_creation_input_tokens, reasoning_tokens, cost, currency, priced,
            org, team, project, user, agent, session, feature, environment, attribution, reservation,
            audio_input_tokens, audio_output_tokens, images, image_size, image_quality, audio_input_us, audio_output_us)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
}
