import WardenCore
import WardenFormats

/// `POST /v1/check` bodies, through both readers: the one-pass reader of the usual shape and the
/// general decoder. A body the one-pass reader accepts must decode to the same request in
/// general, and every decoded request must obey ``InputBounds``.
enum CheckDecoderFuzzing {
    static let decoder = CheckRequestDecoder(schema: UsageDecoderFuzzing.schema)

    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        let fast = decoder.decodeCommonShape(bytes)
        let general = decoder.decodeInGeneral(bytes)
        if let fast {
            guard case .success(let decoded) = general else {
                throw InvariantViolation("the one-pass reader accepted a body the general decoder refuses: \(general)")
            }
            try require(same(fast, decoded), "the one-pass reader and the general decoder disagree")
            try require(!fast.hasExplicitCost, "the one-pass reader took an explicit cost")
        }
        switch general {
        case .success(let decoded):
            try checkBounds(decoded)
        case .failure(.malformed(let error)):
            try require((0...bytes.count).contains(error.offset), "malformed offset \(error.offset) outside the body of \(bytes.count) bytes")
        case .failure(.invalid(let errors)):
            try require(!errors.isEmpty, "invalid without errors")
        }
    }

    static func checkBounds(_ decoded: CheckRequestDecoder.Decoded) throws(InvariantViolation) {
        let request = decoded.request
        try UsageDecoderFuzzing.checkText(request.provider, "provider")
        try UsageDecoderFuzzing.checkText(request.model, "model")
        for count in [request.estimatedInputTokens, request.maxOutputTokens] {
            try require((0...InputBounds.maxTokenCount).contains(count), "token estimate \(count) out of bounds")
        }
        try require(request.estimatedCost >= .zero && request.estimatedCost <= InputBounds.maxEstimatedCost,
                    "estimated cost \(request.estimatedCost) out of bounds")
        try require(decoded.hasExplicitCost || request.estimatedCost == .zero, "a cost without estimated_cost")
        try require(request.currency.utf8.count == 3 && request.currency.utf8.allSatisfy { $0 >= 65 && $0 <= 90 },
                    "currency \(request.currency.debugDescription)")
        try UsageDecoderFuzzing.checkAttribution(request.attribution, schema: decoder.schema, limit: decoder.maxAttributionBytes)
    }

    static func same(_ left: CheckRequestDecoder.Decoded, _ right: CheckRequestDecoder.Decoded) -> Bool {
        let l = left.request, r = right.request
        return left.hasExplicitCost == right.hasExplicitCost && l.provider == r.provider && l.model == r.model
            && l.attribution == r.attribution && l.attribution.labels.map(\.key) == r.attribution.labels.map(\.key)
            && l.estimatedInputTokens == r.estimatedInputTokens && l.maxOutputTokens == r.maxOutputTokens
            && l.estimatedCost == r.estimatedCost && l.currency == r.currency && l.priority == r.priority
    }
}
