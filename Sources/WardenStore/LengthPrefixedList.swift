/// A list of strings stored in one TEXT column as `<utf8 length>:<bytes>` items.
///
/// Why not a separator or JSON: label values may contain any character (quotes, newlines, the
/// ASCII separators), and this form needs no escaping and parses in one pass.
enum LengthPrefixedList {
    static func encode(_ values: [String]) -> String {
        var text = ""
        for value in values {
            text += String(value.utf8.count)
            text += ":"
            text += value
        }
        return text
    }

    static func decode(_ text: String) -> [String]? {
        var values: [String] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            var length = 0
            var sawDigit = false
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                length = length * 10 + Int(bytes[index] - 48)
                sawDigit = true
                index += 1
                if length > bytes.count { return nil }
            }
            guard sawDigit, index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard index + length <= bytes.count else { return nil }
            values.append(String(decoding: bytes[index..<index + length], as: UTF8.self))
            index += length
        }
        return values
    }
}
