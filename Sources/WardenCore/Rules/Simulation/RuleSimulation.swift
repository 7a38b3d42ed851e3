/// Replays recorded usage through a fresh ``RuleEngine``: which ladder steps would have fired,
/// and when, had these rules been in force (`tokenwarden simulate`).
///
/// Usage alone moves budgets only: policies and quotas answer checks, and recorded usage holds
/// none, so they never speak here (quotas are charged, but nothing asks them).
///
/// Time passes as it would have in the server: before each event the engine's clock is moved
/// to every whole ``tickInterval`` since the previous event, then to the event's own time, so a
/// period end is audited at the first tick of the next period (on the minute by default), not
/// only when the next event happens to arrive.
public struct RuleSimulation: Sendable {
    public let rules: RuleSet
    public let configuration: RuleEngine.Configuration
    /// How often the clock ticks between events, in nanoseconds (default one minute).
    public var tickInterval: Int64

    public init(rules: RuleSet, configuration: RuleEngine.Configuration = RuleEngine.Configuration(),
                tickInterval: Int64 = 60_000_000_000) {
        precondition(tickInterval > 0, "tickInterval must be positive")
        self.rules = rules
        self.configuration = configuration
        self.tickInterval = tickInterval
    }

    /// Replays `events` in time order (ties keep their order in the input).
    public func run(_ events: [PricedEvent]) -> SimulationReport {
        let ordered = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var engine = RuleEngine(rules: rules, configuration: configuration)
        var rows: [AuditEvent] = []
        var nextTick: Int64?
        for event in ordered {
            let now = event.time.nanosecondsSinceEpoch
            if var tick = nextTick {
                while tick < now {
                    rows += engine.tick(at: Timestamp(nanosecondsSinceEpoch: tick))
                    tick += tickInterval
                }
            }
            rows += engine.tick(at: event.time)
            rows += engine.record([event], at: event.time)
            // The first whole interval after this event (floor division, also before 1970).
            let floor = now >= 0 ? now / tickInterval : (now - tickInterval + 1) / tickInterval
            nextTick = (floor + 1) * tickInterval
        }
        let end = ordered.last?.time
        return SimulationReport(rows: rows, budgets: end.map { engine.budgetSnapshots(at: $0) } ?? [],
                                events: ordered.count, start: ordered.first?.time, end: end)
    }
}
