import WardenCore

/// One element of an HTTP list header with quality values, such as `Accept` or `Accept-Encoding`:
/// `application/openmetrics-text;version=1.0.0;q=0.75` → value `application/openmetrics-text`,
/// parameters `["version": "1.0.0"]`, quality 0.75.
///
/// Hand-written because it is a few lines and no HTTP library is in this module's road.
package struct HTTPQualityListElement: Equatable {
    /// Lower-cased: media types, coding names and parameter names are case-insensitive.
    package var value: String
    /// Names lower-cased; values unquoted and kept as sent (versions compare exactly).
    package var parameters: [String: String]
    /// 0...1; 0 means "not acceptable".
    package var quality: Double
    /// Position in the header, for "earlier wins" tie-breaks.
    package var position: Int

    /// Parses a header value. Elements with a malformed `q` are dropped: guessing their weight
    /// could pick a format the client did not ask for.
    package static func parse(_ header: String) -> [HTTPQualityListElement] {
        var elements: [HTTPQualityListElement] = []
        for (position, part) in split(header, on: ",").enumerated() {
            let fields = split(part, on: ";")
            let value = trim(fields[0]).lowercased()
            guard !value.isEmpty else { continue }
            var parameters: [String: String] = [:]
            var quality = 1.0
            var valid = true
            for field in fields.dropFirst() {
                guard let equals = field.firstIndex(of: "=") else { continue }
                let name = trim(field[..<equals]).lowercased()
                var parameterValue = trim(field[field.index(after: equals)...])
                if parameterValue.count >= 2, parameterValue.hasPrefix("\""), parameterValue.hasSuffix("\"") {
                    parameterValue = String(parameterValue.dropFirst().dropLast())
                }
                if name == "q" {
                    if let q = Double(parameterValue), q >= 0, q <= 1 { quality = q } else { valid = false }
                } else {
                    parameters[name] = parameterValue
                }
            }
            if valid {
                elements.append(HTTPQualityListElement(value: value, parameters: parameters, quality: quality, position: position))
            }
        }
        return elements
    }

    /// Splits on `separator` outside double-quoted strings.
    private static func split(_ text: some StringProtocol, on separator: Character) -> [Substring] {
        let text = Substring(text)
        var parts: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\"" {
                quoted.toggle()
            } else if character == "\\", quoted, text.index(after: index) < text.endIndex {
                index = text.index(after: index)
            } else if character == separator, !quoted {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        parts.append(text[start...])
        return parts
    }

    private static func trim(_ text: some StringProtocol) -> String {
        String(text.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
