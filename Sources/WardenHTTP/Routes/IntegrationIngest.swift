import WardenCore
import WardenFormats
import WardenMetrics
import WardenRuntime
import WardenStore

/// What the integration routes (`/v1/integrations/litellm`, `/v1/traces`) share with
/// `POST /v1/usage` once a payload has become usage events: the key's scope, the catalog's
/// prices, the group-commit writer, and the rule engine seeing what was recorded.
struct IntegrationIngest: Sendable {
    /// The prices in force; a request takes them once, so a reload never splits its events.
    let pricing: LivePricing
    let writer: UsageWriter
    let readiness: Readiness
    let clock: any WallClock
    let maxAttributionBytes: Int
    let authFailures: AuthFailureCounts
    let counts: IntegrationRecordCounts
    /// The rule engine's view of usage: events newly recorded (duplicates excluded), once durable.
    let recorded: @Sendable ([PricedEvent]) -> Void

    /// Binds every event to the caller's scope (``APICaller/bind(_:maxAttributionBytes:)``),
    /// counting a contradiction as a refusal of the key.
    func bind(_ events: inout [UsageEvent], to caller: APICaller) -> [EventScopeProblem] {
        let problems = caller.bind(&events, maxAttributionBytes: maxAttributionBytes)
        if problems.contains(where: \.isConflict) { authFailures.count(.forbidden) }
        return problems
    }

    /// Commits `priced`, then calls `completion` on the writer's acknowledgement thread with each
    /// event's outcome, after the rule engine has seen the new ones and the counter counted them.
    func record(_ priced: [PricedEvent], receivedAt: Timestamp, source: IntegrationRecordCounts.Source,
                completion: @escaping @Sendable (Result<[IngestOutcome], StoreError>) -> Void) {
        writer.submit(priced, receivedAt: receivedAt) { [recorded, counts] result in
            if case .success(let outcomes) = result {
                let duplicates = outcomes.reduce(0) { $0 + ($1.duplicate ? 1 : 0) }
                // Budgets see the usage before the client does, so a check made right after
                // the answer already counts it.
                recorded(duplicates == 0 ? priced : zip(priced, outcomes).filter { !$0.1.duplicate }.map(\.0))
                counts.count(source, .accepted, outcomes.count - duplicates)
                counts.count(source, .duplicate, duplicates)
            }
            completion(result)
        }
    }
}
