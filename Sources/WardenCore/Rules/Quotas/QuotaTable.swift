/// The buckets of one quota, one per scope (the values of its `per:` labels), with bounded memory.
///
/// ## Memory
///
/// A scope costs one dictionary entry: its ``QuotaKey`` and a 16-byte ``GCRAState``. An entry whose
/// bucket is full again (TAT ≤ now) is interchangeable with a fresh one, so dropping it changes no
/// decision: ``evictIdle(at:)`` removes all such entries. Call it periodically (each second, say);
/// the table also runs it by itself when it is full, at most once per second of `now`.
///
/// At most ``maximumKeys`` scopes have their own bucket. When the table is full and a new scope
/// appears, that scope is metered in one **shared overflow bucket** (same rate, decision marked
/// ``QuotaDecision/isOverflow``) until idle entries make room. Why not evict a busy scope instead:
/// its replacement would start full, handing out free capacity to whoever floods the table with
/// new keys. Why not refuse new scopes outright: one flood would lock every newcomer out. The
/// overflow bucket keeps every existing scope exact and limits newcomers together, conservatively.
/// The ledger treats its series limit the same way (`__other__`).
///
/// ## Shadow mode
///
/// With ``QuotaPolicy/isShadow``, every attempt is admitted (``QuotaDecision/isAllowed``) and
/// **its cost is consumed as if admitted**, because it was: the bucket measures the real traffic
/// against the limit. ``QuotaDecision/verdict`` still says what enforcement would have answered
/// (``QuotaDecision/wouldThrottle``). Consequence to keep in mind when reading shadow metrics:
/// after sustained overload the shadow bucket is in debt (an enforced one would have refused that
/// traffic instead), so it keeps reporting would-throttle until the real traffic has fallen below
/// the limit long enough to repay it. Settling, releasing and charging work exactly as when
/// enforced.
///
/// ## Ownership
///
/// A value type without locks; the rule engine owns it behind its one lock. Every operation is a
/// single hash lookup and a few 128-bit integer operations; inserting a new scope may grow the
/// dictionary (allocates); updating an existing one never allocates.
public struct QuotaTable: Sendable {
    public let policy: QuotaPolicy
    /// Scopes with their own bucket at most; further scopes share the overflow bucket.
    public let maximumKeys: Int

    private var buckets: [QuotaKey: GCRAState] = [:]
    private var overflow = GCRAState.idle
    /// No automatic sweep before this instant (ns), so a flood of new keys costs one O(n) sweep
    /// per second, not one per request.
    private var nextAutomaticSweep = Int64.min

    public static let defaultMaximumKeys = 100_000

    public init(policy: QuotaPolicy, maximumKeys: Int = QuotaTable.defaultMaximumKeys) {
        precondition(maximumKeys >= 0, "maximumKeys must not be negative")
        self.policy = policy
        self.maximumKeys = maximumKeys
    }

    /// Scopes that currently have their own bucket.
    public var count: Int { buckets.count }

    /// The pre-flight check for one request of `cost` units (1 for a `requests:` quota).
    /// Admitted: the cost is reserved (consumed) now — pass ``QuotaDecision/reserved`` to
    /// ``settle(_:reserved:actual:at:)`` when the actual use is known.
    public mutating func attempt(_ key: QuotaKey, cost: Int64, priority: QuotaPriority = .normal,
                                 at now: Timestamp) -> QuotaDecision {
        let rate = policy.rate
        var decision: QuotaDecision
        var isOverflow = false
        if let index = buckets.index(forKey: key) {
            decision = buckets.values[index].attempt(cost: cost, priority: priority, at: now, rate: rate)
            if policy.isShadow && decision.verdict != .allowed {
                buckets.values[index].charge(cost: cost, at: now, rate: rate)
            }
        } else {
            var state = GCRAState.idle
            decision = state.attempt(cost: cost, priority: priority, at: now, rate: rate)
            if policy.isShadow && decision.verdict != .allowed { state.charge(cost: cost, at: now, rate: rate) }
            if !state.isIdle(at: now, rate: rate) {
                if hasRoom(at: now) {
                    buckets[key] = state
                } else {
                    // Decide again against the shared bucket, so the reply describes it.
                    isOverflow = true
                    decision = overflow.attempt(cost: cost, priority: priority, at: now, rate: rate)
                    if policy.isShadow && decision.verdict != .allowed {
                        overflow.charge(cost: cost, at: now, rate: rate)
                    }
                }
            }
        }
        if policy.isShadow {
            decision.isShadow = true
            decision.reserved = cost > 0 ? cost : 0
        }
        decision.isOverflow = isOverflow
        return decision
    }

    /// Consumes `cost` units for `key` unconditionally: usage that arrived without a check. May put
    /// the scope into debt, so that its next attempts wait longer.
    public mutating func charge(_ key: QuotaKey, cost: Int64, at now: Timestamp) {
        let rate = policy.rate
        if let index = buckets.index(forKey: key) {
            buckets.values[index].charge(cost: cost, at: now, rate: rate)
            return
        }
        var state = GCRAState.idle
        state.charge(cost: cost, at: now, rate: rate)
        guard !state.isIdle(at: now, rate: rate) else { return }
        if hasRoom(at: now) { buckets[key] = state } else { overflow.charge(cost: cost, at: now, rate: rate) }
    }

    /// Gives back up to `cost` units of `key`'s outstanding use (see ``GCRA/refund(cost:at:)``).
    /// A scope without its own bucket is either idle (nothing to refund) or, while the table is
    /// full, metered in the overflow bucket, which is then refunded.
    public mutating func refund(_ key: QuotaKey, cost: Int64, at now: Timestamp) {
        let rate = policy.rate
        if let index = buckets.index(forKey: key) {
            buckets.values[index].refund(cost: cost, at: now, rate: rate)
        } else if buckets.count >= maximumKeys {
            overflow.refund(cost: cost, at: now, rate: rate)
        }
    }

    /// Settles a reservation: `reserved` units were consumed by ``attempt(_:cost:priority:at:)``,
    /// `actual` were used. Refunds the excess or charges the shortfall. Releasing a request that
    /// never ran is `actual: 0`.
    public mutating func settle(_ key: QuotaKey, reserved: Int64, actual: Int64, at now: Timestamp) {
        let reserved = max(reserved, 0)
        let actual = max(actual, 0)
        if actual > reserved {
            charge(key, cost: actual - reserved, at: now)
        } else if actual < reserved {
            refund(key, cost: reserved - actual, at: now)
        }
    }

    /// `key`'s remaining units for `priority` and time to full, without changing anything.
    public func snapshot(_ key: QuotaKey, priority: QuotaPriority = .normal, at now: Timestamp) -> QuotaSnapshot {
        let state = buckets[key] ?? (buckets.count >= maximumKeys ? overflow : .idle)
        return state.snapshot(priority: priority, at: now, rate: policy.rate)
    }

    /// Removes every scope whose bucket is full again (they are equivalent to fresh ones).
    /// Returns how many were removed. O(n); allocates the new dictionary.
    @discardableResult
    public mutating func evictIdle(at now: Timestamp) -> Int {
        let rate = policy.rate
        let before = buckets.count
        buckets = buckets.filter { !$0.value.isIdle(at: now, rate: rate) }
        return before - buckets.count
    }

    /// Whether a new scope may get its own bucket; sweeps idle entries first when full (rate-limited).
    private mutating func hasRoom(at now: Timestamp) -> Bool {
        if buckets.count < maximumKeys { return true }
        guard now.nanosecondsSinceEpoch >= nextAutomaticSweep else { return false }
        let (next, overflowed) = now.nanosecondsSinceEpoch.addingReportingOverflow(1_000_000_000)
        nextAutomaticSweep = overflowed ? .max : next
        evictIdle(at: now)
        return buckets.count < maximumKeys
    }
}
