import Foundation
import Logging
import Synchronization
import WardenCore
import WardenFormats
import WardenMetrics
import WardenStore

/// The rule engine as the server runs it: one ``RuleEngine`` behind one lock, its audit rows
/// going to the ``AuditSink``, reloads validated before they swap in, and the state the rule
/// metrics expose.
///
/// Everything that changes budget state (checks, usage, releases, expiries, reloads) takes the
/// same lock, so a check's reservation is atomic against every other request.
public final class RuleHost: Sendable {
    private let engine: Mutex<RuleEngine>
    let audit: AuditSink
    let logger: Logger
    let clock: any WallClock
    /// Loads and validates the rule files (the whole set, or every error), with each file's digest;
    /// given the currencies the pricing files price in, a budget in another one is an error.
    private let loadRules: @Sendable (Set<String>?) throws(ConfigErrors) -> RuleDirectory.Loaded
    /// The prices in force, reloaded with the rules; nil when pricing is not the host's to reload.
    private let pricing: LivePricing?
    /// Reads recorded usage since a time, for budgets that start without state.
    private let replay: @Sendable (Timestamp, (PricedEvent) -> Void) throws -> Void
    /// Buckets from 5 µs: a decision takes a few microseconds, and with 50 µs as the first bound
    /// 98% of checks fell in it, so `histogram_quantile` could only guess their median.
    public let checkDuration = Histogram(upperBounds: [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                                                0.001, 0.0025, 0.005, 0.01, 0.025, 0.1])
    private let reload = Mutex<ReloadStatus>(ReloadStatus())
    /// Serializes reloads (SIGHUP and POST /-/reload may race); checks never wait on it. Holds
    /// the digest of every rule file as the rules in force were read, by path.
    private let reloading: Mutex<[String: String]>

    public typealias ReloadStatus = RuleReloadStatus

    public init(rules: RuleSet, digests: [String: String] = [:], configuration: RuleEngine.Configuration, audit: AuditSink,
                clock: any WallClock, logger: Logger,
                pricing: LivePricing? = nil,
                loadRules: @escaping @Sendable (Set<String>?) throws(ConfigErrors) -> RuleDirectory.Loaded,
                replay: @escaping @Sendable (Timestamp, (PricedEvent) -> Void) throws -> Void) {
        engine = Mutex(RuleEngine(rules: rules, configuration: configuration))
        reloading = Mutex(digests)
        self.audit = audit
        self.clock = clock
        self.logger = logger
        self.loadRules = loadRules
        self.pricing = pricing
        self.replay = replay
        reload.withLock { $0.lastSuccess = clock.now(); $0.files = rules.files }
    }

    /// Rebuilds budget usage from the store (start-up). Called before the server is ready.
    /// `audited` is the last crossing the audit log holds per budget instance: what changed while
    /// the process was down (a period that ended, a crossing whose row a crash lost) is audited
    /// now, with cause `restart`.
    public func restore(audited: [AuditedStep] = []) throws {
        let now = clock.now()
        let start = engine.withLock { $0.restoreStart(at: now) }
        guard let start else { return }
        var events: [PricedEvent] = []
        try replay(start) { events.append($0) }
        let rows = engine.withLock { engine -> [AuditEvent] in
            engine.restore(events, at: now)
            return engine.reconcile(with: audited, at: now)
        }
        audit.submit(rows)
        // `total` budgets replay everything: Timestamp.min has no calendar date to print.
        let since = start.nanosecondsSinceEpoch == .min ? "the beginning" : start.rfc3339
        logger.info("budgets restored", metadata: ["events": "\(events.count)", "since": "\(since)"])
    }

    /// Live reservations, for the store to keep across a graceful restart.
    public func savedReservations() -> [SavedReservation] { engine.withLock { $0.savedReservations } }

    /// Holds reservations saved by the previous process again (start-up, after ``restore(audited:)``).
    @discardableResult
    public func restoreReservations(_ saved: [SavedReservation]) -> Int {
        guard !saved.isEmpty else { return 0 }
        let now = clock.now()
        let (restored, rows) = engine.withLock { $0.restoreReservations(saved, at: now) }
        audit.submit(rows)
        logger.info("reservations restored", metadata: ["restored": "\(restored)", "dropped": "\(saved.count - restored)"])
        return restored
    }

    // MARK: requests

    public func check(_ request: CheckRequest) -> CheckOutcome {
        let started = ContinuousClock.now
        let now = clock.now()
        let id = Self.reservationIDs.next()
        let outcome = engine.withLock { $0.check(request, reservationID: id, at: now) }
        audit.submit(outcome.audit)
        checkDuration.observe(ContinuousClock.now - started)
        return outcome
    }

    /// Usage that was just made durable (duplicates excluded).
    public func record(_ events: [PricedEvent]) {
        guard !events.isEmpty else { return }
        let now = clock.now()
        let rows = engine.withLock { $0.record(events, at: now) }
        audit.submit(rows)
    }

    public func release(_ id: String) -> Bool {
        let now = clock.now()
        return engine.withLock { $0.release(id, at: now) }
    }

    /// Releases `id` for the key named `keyName`, which may release only its own checks'
    /// reservations; nil releases any (``RuleEngine/release(_:byKey:at:)``).
    public func release(_ id: String, byKey keyName: String?) -> RuleEngine.Release {
        let now = clock.now()
        return engine.withLock { $0.release(id, byKey: keyName, at: now) }
    }

    /// Live reservations made with the key named `name`.
    public func activeReservations(forKey name: String) -> Int { engine.withLock { $0.activeReservations(forKey: name) } }

    /// Reservations expired per hold of the engine lock: about a tenth of a millisecond of it.
    ///
    /// Chunks of 256, back to back, still cost the checks around an expiry storm: the ticker took
    /// the lock again as soon as it let go, and checks waited out much of the storm. At 16k
    /// expiries a second (1 s TTL, checks never committed) the check p99 was 12–58 ms; with 64 per
    /// hold and each chunk's rows written between holds it was 2.7–7.7 ms (seven pairs of runs,
    /// interleaved on the same host).
    static let expiriesPerLock = 64

    /// Expiries and period ends; the server calls it every second.
    public func tick() {
        let now = clock.now()
        var rows: [AuditEvent] = []
        // Expiries a chunk per lock, their rows written between the holds so checks get in
        // (see RuleEngine.takeExpiredReservations).
        while true {
            let (expired, finished) = engine.withLock { $0.takeExpiredReservations(at: now, limit: Self.expiriesPerLock) }
            rows += expired.auditEvents()
            if finished { break }
        }
        rows += engine.withLock { $0.advancePeriods(at: now) }
        audit.submit(rows)
    }

    // MARK: overrides

    /// Makes `overrides` the active ones (``RuleEngine/applyOverrides(_:at:)``): the next check
    /// sees their limits. Crossings they cause are audited with cause `override`.
    public func applyOverrides(_ overrides: [BudgetOverride]) {
        let now = clock.now()
        let rows = engine.withLock { $0.applyOverrides(overrides, at: now) }
        audit.submit(rows)
    }

    /// The override in force for a budget instance (``RuleEngine/activeOverride(budget:instance:)``).
    public func activeOverride(budget: String, instance: [AuditLabel]) -> BudgetOverride? {
        engine.withLock { $0.activeOverride(budget: budget, instance: instance) }
    }

    /// The rules in force.
    public var currentRules: RuleSet { engine.withLock { $0.rules } }

    // MARK: reload

    public enum ReloadResult: Sendable {
        case reloaded(RuleSet)
        case failed([String])
    }

    /// Validates every pricing file and every rule file, then swaps the new prices and rules in,
    /// carrying the state of unchanged rules. A failure in any file keeps the old prices and rules,
    /// sets the reload gauge to 0, logs why and writes an audit row. Either row names `actor` (who
    /// asked, ``AuditEvent/actor``); a successful one also the rule and pricing files added,
    /// changed and removed since the ones in force were read.
    @discardableResult
    public func reloadRules(actor: String? = nil) -> ReloadResult {
        reloading.withLock { digests in
            let now = clock.now()
            let failed = { (messages: [String]) -> ReloadResult in
                self.reload.withLock {
                    $0.lastAttemptSucceeded = false
                    $0.lastErrors = messages
                }
                for message in messages { self.logger.error("rule reload failed: \(message)") }
                self.audit.submit([Self.reloadEvent(AuditAction.rulesReloadFailed, decision: "", at: now, messages: messages, files: [],
                                                    actor: actor)])
                return .failed(messages)
            }
            var prices: LivePricing.Prepared?
            if let pricing {
                switch pricing.prepare() {
                case .success(let prepared): prices = prepared
                case .failure(let failure): return failed(failure.messages)
                }
            }
            let rules: RuleSet
            let loaded: RuleDirectory.Loaded
            do throws(ConfigErrors) {
                loaded = try loadRules(prices?.catalog.currencies)
                rules = loaded.rules
            } catch {
                return failed(error.errors.map(\.description))
            }
            for warning in prices?.warnings ?? [] { logger.warning("\(warning)") }
            for warning in rules.warnings { logger.warning("\(warning)") }
            // Budgets that are new (or changed identity) start from the usage recorded in their
            // windows. The replay runs under the engine lock so that no usage recorded meanwhile
            // slips between the replay and the swap; checks wait for it (reloads that add
            // budgets are rare). An event committed but not yet handed to record() at this very
            // instant can be counted twice by a new budget: conservative, and only until the
            // period ends.
            let outcome = engine.withLock { engine -> Result<[AuditEvent], Error> in
                let (next, fresh, rows) = engine.reloaded(with: rules, at: now)
                var replacement = next
                if !fresh.isEmpty, let start = replacement.restoreStart(at: now, onlyBudgets: fresh) {
                    var replayed: [PricedEvent] = []
                    do { try replay(start) { replayed.append($0) } } catch { return .failure(error) }
                    replacement.restore(replayed, onlyBudgets: fresh, at: now)
                }
                engine = replacement
                return .success(rows)
            }
            let rows: [AuditEvent]
            switch outcome {
            case .success(let produced): rows = produced
            case .failure(let error):
                return failed(["reading recorded usage for new budgets failed: \(error)"])
            }
            // The new rules are in force; the prices follow. Each ingest batch takes one catalog,
            // so a batch is priced wholly by the old prices or wholly by the new ones.
            var pricingChanges: FileChanges?
            if let pricing, let prices {
                pricingChanges = Self.fileChanges(from: pricing.install(prices), to: prices.digests)
            }
            let changes = Self.fileChanges(from: digests, to: loaded.digests)
            digests = loaded.digests
            reload.withLock {
                $0.lastAttemptSucceeded = true
                $0.lastSuccess = now
                $0.lastErrors = []
                $0.files = rules.files
            }
            audit.submit(rows + [Self.reloadEvent(AuditAction.rulesReloaded, decision: "", at: now, messages: [], files: rules.files,
                                                  counts: (rules.budgets.count, rules.quotas.count, rules.policies.count),
                                                  changes: changes, pricingChanges: pricingChanges, actor: actor)])
            logger.info("rules reloaded", metadata: ["budgets": "\(rules.budgets.count)", "quotas": "\(rules.quotas.count)",
                                                     "policies": "\(rules.policies.count)"])
            return .reloaded(rules)
        }
    }

    /// The rule files a reload added, changed (other text) and removed, by path.
    struct FileChanges: Equatable {
        var added: [String] = []
        var changed: [String] = []
        var removed: [String] = []
    }

    static func fileChanges(from old: [String: String], to new: [String: String]) -> FileChanges {
        var changes = FileChanges()
        for (path, digest) in new.sorted(by: { $0.key < $1.key }) {
            if let previous = old[path] {
                if previous != digest { changes.changed.append(path) }
            } else {
                changes.added.append(path)
            }
        }
        changes.removed = old.keys.filter { new[$0] == nil }.sorted()
        return changes
    }

    static func reloadEvent(_ action: String, decision: String, at now: Timestamp, messages: [String], files: [String],
                            counts: (Int, Int, Int)? = nil, changes: FileChanges? = nil, pricingChanges: FileChanges? = nil,
                            actor: String? = nil) -> AuditEvent {
        var detail = AuditDetail()
        if let counts {
            detail["budgets"] = .integer(Int64(counts.0))
            detail["policies"] = .integer(Int64(counts.2))
            detail["quotas"] = .integer(Int64(counts.1))
        }
        if !messages.isEmpty { detail["errors"] = .list(messages.prefix(50).map { .text($0) }) }
        if !files.isEmpty { detail["files"] = .list(files.map { .text($0) }) }
        if let changes {
            if !changes.added.isEmpty { detail["added"] = .list(changes.added.map { .text($0) }) }
            if !changes.changed.isEmpty { detail["changed"] = .list(changes.changed.map { .text($0) }) }
            if !changes.removed.isEmpty { detail["removed"] = .list(changes.removed.map { .text($0) }) }
        }
        if let pricingChanges {
            if !pricingChanges.added.isEmpty { detail["pricing_added"] = .list(pricingChanges.added.map { .text($0) }) }
            if !pricingChanges.changed.isEmpty { detail["pricing_changed"] = .list(pricingChanges.changed.map { .text($0) }) }
            if !pricingChanges.removed.isEmpty { detail["pricing_removed"] = .list(pricingChanges.removed.map { .text($0) }) }
        }
        return AuditEvent(time: now, rule: "", kind: .reload, action: action, decision: decision, detail: detail, actor: actor)
    }

    // MARK: exposition

    public func snapshot() -> RuleEngineStatus {
        let now = clock.now()
        let (budgets, counters, active, loaded, quotas, policies) = engine.withLock { engine in
            (engine.budgetSnapshots(at: now), engine.counters, engine.activeReservations, engine.loadedRuleCounts,
             engine.rules.quotas.map(\.name), engine.rules.policies)
        }
        return RuleEngineStatus(budgets: budgets, counters: counters, reservationsActive: active, loaded: loaded,
                                quotaNames: quotas, policyNames: policies.map(\.name), policyActions: policies.map(\.action),
                                reload: reload.withLock { $0 }, auditAppendFailures: audit.failedAppends)
    }

    /// A page of budget statuses (``RuleEngine/budgetStatuses(_:at:)``), read in one hold of the lock.
    public func budgetStatuses(_ query: BudgetStatusQuery) -> BudgetStatusPage {
        let now = clock.now()
        return engine.withLock { $0.budgetStatuses(query, at: now) }
    }

    /// 128 random bits, hex: unguessable, so one agent cannot release another's reservation.
    static let reservationIDs = ReservationIDSource()
}
