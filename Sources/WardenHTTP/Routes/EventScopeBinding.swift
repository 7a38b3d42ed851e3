import WardenCore
import WardenRuntime

/// Why one event cannot be recorded for a scoped caller.
struct EventScopeProblem {
    var index: Int
    /// `attribution.<key>` or `attribution`.
    var field: String
    var message: String
    /// The scope label the event contradicts; nil when its labels are only too large.
    var conflict: Attribution.Label?
    var isConflict: Bool { conflict != nil }
}

extension APICaller {
    /// Binds every event to the caller's scope (``APIKey/bind(_:)``): a missing label is filled
    /// in; a contradicted one, or labels the filling-in takes past `maxAttributionBytes`, is a
    /// problem of that event. The routes decide what a problem refuses (the whole body, or only
    /// its span).
    func bind(_ events: inout [UsageEvent], maxAttributionBytes: Int) -> [EventScopeProblem] {
        guard isScoped else { return [] }
        var problems: [EventScopeProblem] = []
        for index in events.indices {
            let conflicts = bind(&events[index].attribution)
            if !conflicts.isEmpty {
                problems += conflicts.map {
                    EventScopeProblem(index: index, field: "attribution.\($0.key)", message: APIKey.scopeConflictMessage($0), conflict: $0)
                }
                continue
            }
            if let problem = InputBounds.attributionSizeProblem(of: events[index].attribution, limit: maxAttributionBytes) {
                problems.append(EventScopeProblem(index: index, field: "attribution", message: problem, conflict: nil))
            }
        }
        return problems
    }
}
