import WardenCore
import WardenFormats

/// What every usage event an integration decoder accepts must satisfy, whatever the payload: the
/// text and count bounds of `POST /v1/usage`, cache and reasoning counts within the totals that
/// include them, and only configured labels, within the attribution size limit.
enum IntegrationEventChecks {
    static func check(_ event: UsageEvent, labels: Set<String>, maxAttributionBytes: Int) throws(InvariantViolation) {
        for (field, text) in [("id", event.id), ("provider", event.provider), ("model", event.model)] {
            try UsageDecoderFuzzing.checkText(text, field)
        }
        let tokens = event.tokens
        for count in [tokens.input, tokens.output, tokens.cacheRead, tokens.cacheCreation, tokens.reasoning] {
            try require((0...InputBounds.maxTokenCount).contains(count), "token count \(count) out of bounds")
        }
        try require(tokens.cacheRead + tokens.cacheCreation <= tokens.input, "cached tokens exceed input tokens")
        try require(tokens.reasoning <= tokens.output, "reasoning tokens exceed output tokens")
        var total = 0
        for label in event.attribution.labels {
            try require(labels.contains(label.key), "attribution label \(label.key.debugDescription) is not configured")
            try UsageDecoderFuzzing.checkText(label.value, "attribution.\(label.key)")
            total += label.key.utf8.count + label.value.utf8.count
        }
        try require(total <= maxAttributionBytes, "attribution of \(total) bytes over the limit of \(maxAttributionBytes)")
    }
}
