import WardenCore

/// The canonical JSON text of an attribution (keys sorted, minimal escaping), stored in
/// `usage_event.attribution` so that SQL users can query any key with `json_extract`.
enum AttributionJSON {
    static func encode(_ attribution: Attribution) -> String {
        var text = "{"
        for (index, label) in attribution.labels.enumerated() {
            if index > 0 { text += "," }
            appendQuoted(label.key, to: &text)
            text += ":"
            appendQuoted(label.value, to: &text)
        }
        return text + "}"
    }

    static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
