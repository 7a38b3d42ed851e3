/// A unit an event used that its catalog entry has no price for: the event cannot be priced
/// exactly, so it follows the unknown-model path (422, or recorded at zero cost and counted as
/// unpriced when `ingest.unknown_models: record_at_zero_cost`).
public enum MissingPrice: Error, Sendable, Hashable, CustomStringConvertible {
    /// Tokens, on an entry priced only per image or per second.
    case tokens
    /// Images of this size and quality (nil: the event gave none).
    case image(size: String?, quality: String?)
    case audioInputSeconds
    case audioOutputSeconds

    /// The usage-event field whose value needs the missing price.
    public var field: String {
        switch self {
        case .tokens: "input_tokens"
        case .image: "images"
        case .audioInputSeconds: "audio_input_seconds"
        case .audioOutputSeconds: "audio_output_seconds"
        }
    }

    public var description: String {
        switch self {
        case .tokens:
            return "no per-token price"
        case .image(let size, let quality):
            return "no per-image price for image_size \(size.map { "\"\($0)\"" } ?? "(not given)") and image_quality "
                + (quality.map { "\"\($0)\"" } ?? "(not given)")
        case .audioInputSeconds:
            return "no per-second audio input price"
        case .audioOutputSeconds:
            return "no per-second audio output price"
        }
    }
}
