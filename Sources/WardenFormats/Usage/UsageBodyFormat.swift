import WardenCore

/// How the events in a `POST /v1/usage` body are framed, chosen by the request's Content-Type.
public enum UsageBodyFormat: Sendable, Equatable {
    /// One JSON object, or a JSON array of objects.
    case json
    /// Newline-delimited JSON: one object per line; blank lines and CRLF line ends are allowed.
    case ndjson

    /// The format named by a Content-Type header, or `nil` for anything else (the server answers
    /// 415). Media types compare case-insensitively and parameters are ignored, except a
    /// `charset` other than UTF-8, which is refused: the body is read as UTF-8 and nothing else.
    public static func from(contentType: String?) -> UsageBodyFormat? {
        guard let contentType else { return nil }
        // What nearly every client sends; the general parse below allocates for every request.
        if contentType == "application/json" { return .json }
        var parts = contentType.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        let mediaType = trimmed(parts.next() ?? "").lowercased()
        while let parameter = parts.next() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, trimmed(pair[0]).lowercased() == "charset" else { continue }
            var charset = trimmed(pair[1]).lowercased()
            if charset.count >= 2, charset.hasPrefix("\""), charset.hasSuffix("\"") {
                charset = String(charset.dropFirst().dropLast())
            }
            guard charset == "utf-8" || charset == "utf8" else { return nil }
        }
        switch mediaType {
        case "application/json": return .json
        case "application/x-ndjson", "application/ndjson": return .ndjson
        default: return nil
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
