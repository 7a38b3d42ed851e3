/// What happens to usage of a model no pricing file prices (`ingest.unknown_models`).
public enum UnknownModelPolicy: String, Sendable, Equatable, CaseIterable {
    /// Answer 422 naming the model; nothing is recorded.
    case reject
    /// Record the event at zero cost and count it in `tokenwarden_unpriced_events_total`.
    case recordAtZeroCost = "record_at_zero_cost"
}
