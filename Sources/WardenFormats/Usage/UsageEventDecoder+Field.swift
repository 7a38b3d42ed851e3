import WardenCore

/// The top-level members of a usage event, as spelled on the wire, and matching them from bytes.
extension UsageEventDecoder {
    enum Field: Int, CaseIterable {
        case id, time, provider, model
        case inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens, reasoningTokens
        case attribution, reservation
        case audioInputTokens, audioOutputTokens, images, imageSize, imageQuality
        case audioInputSeconds, audioOutputSeconds

        /// The name as a `String`, for error reports.
        var name: String { wireName.description }

        var wireName: StaticString {
            switch self {
            case .id: return "id"
            case .time: return "time"
            case .provider: return "provider"
            case .model: return "model"
            case .inputTokens: return "input_tokens"
            case .outputTokens: return "output_tokens"
            case .cacheReadInputTokens: return "cache_read_input_tokens"
            case .cacheCreationInputTokens: return "cache_creation_input_tokens"
            case .reasoningTokens: return "reasoning_tokens"
            case .attribution: return "attribution"
            case .reservation: return "reservation"
            case .audioInputTokens: return "audio_input_tokens"
            case .audioOutputTokens: return "audio_output_tokens"
            case .images: return "images"
            case .imageSize: return "image_size"
            case .imageQuality: return "image_quality"
            case .audioInputSeconds: return "audio_input_seconds"
            case .audioOutputSeconds: return "audio_output_seconds"
            }
        }

        /// Fields without which an event is rejected with "is required", as a set of ``bit``s.
        static var requiredBits: UInt32 {
            Field.id.bit | Field.provider.bit | Field.model.bit | Field.inputTokens.bit | Field.outputTokens.bit
        }

        var bit: UInt32 { 1 << UInt32(rawValue) }

        /// The field whose name is exactly these (unescaped) bytes. Dispatches on length first,
        /// so a key costs one comparison against at most three candidates.
        static func named(_ key: UnsafeBufferPointer<UInt8>) -> Field? {
            let candidate: Field
            switch key.count {
            case 2: candidate = .id
            case 4: candidate = .time
            case 5: candidate = .model
            case 6: candidate = .images
            case 8: candidate = .provider
            case 10: candidate = .imageSize
            case 11: candidate = key[0] == UInt8(ascii: "a") ? .attribution : .reservation
            case 12: candidate = .inputTokens
            case 13: candidate = key[0] == UInt8(ascii: "o") ? .outputTokens : .imageQuality
            case 16: candidate = .reasoningTokens
            case 18: candidate = .audioInputTokens
            case 19: candidate = key[6] == UInt8(ascii: "i") ? .audioInputSeconds : .audioOutputTokens
            case 20: candidate = .audioOutputSeconds
            case 23: candidate = .cacheReadInputTokens
            case 27: candidate = .cacheCreationInputTokens
            default: return nil
            }
            return JSONBytes.equal(key, candidate.wireName) ? candidate : nil
        }

        /// The slow path, for keys written with escapes (`"\u0069d"`).
        static func named(_ key: String) -> Field? {
            allCases.first { $0.name == key }
        }
    }
}
