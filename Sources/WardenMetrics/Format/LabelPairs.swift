import WardenCore

/// A series' labels, rendered and escaped once: `a="x",b="y"` (no braces).
///
/// Why pre-rendered: a scrape visits every series, and re-escaping the same label values every
/// 15 seconds is most of the cost of a naive writer. Build one `LabelPairs` when a series is
/// created and keep it with the series; ``ExpositionWriter`` then only copies bytes.
///
/// The idea comes from swift-prometheus, but unlike it the values are escaped (`\`, `"`, line feed;
/// see ``ExpositionEscaping``), so a team called `a"b` cannot break the exposition.
///
/// Labels keep the order they were given in: two `LabelPairs` with the same pairs in a different
/// order are different values (Prometheus itself does not care about the order).
public struct LabelPairs: Sendable, Hashable {
    /// The rendered pairs, identical in both exposition formats.
    public private(set) var bytes: [UInt8]

    public static let empty = LabelPairs(rendered: [])

    /// - Precondition: every name is a valid label name (``MetricNaming/isValidLabelName(_:)``) and
    ///   no name appears twice.
    public init(_ pairs: [(String, String)]) {
        self.init(rendered: [])
        bytes.reserveCapacity(pairs.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 })
        for (name, value) in pairs {
            append(name, value)
        }
    }

    /// The labels of an attributed series: one pair per key, in the order of `keys` (usually
    /// `AttributionSchema.labelKeys`). A key the attribution lacks gets the empty value, which
    /// Prometheus treats the same as an absent label, so every series of a family has the same names.
    public init(attribution: Attribution, keys: [String]) {
        self.init(keys.map { ($0, attribution[$0] ?? "") })
    }

    /// Already rendered and escaped bytes (``LabelTemplate``).
    init(rendered: [UInt8]) {
        bytes = rendered
    }

    public var isEmpty: Bool { bytes.isEmpty }

    /// These labels followed by one more pair.
    public func appending(_ name: String, _ value: String) -> LabelPairs {
        var copy = self
        copy.append(name, value)
        return copy
    }

    /// These labels followed by `other`'s.
    public func appending(_ other: LabelPairs) -> LabelPairs {
        var copy = self
        for name in other.names { copy.checkNotPresent(name) }
        if !copy.bytes.isEmpty, !other.bytes.isEmpty { copy.bytes.append(UInt8(ascii: ",")) }
        copy.bytes.append(contentsOf: other.bytes)
        return copy
    }

    private mutating func append(_ name: String, _ value: String) {
        precondition(MetricNaming.isValidLabelName(name), "invalid label name \"\(name)\"")
        checkNotPresent(name)
        if !bytes.isEmpty { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: "="))
        bytes.append(UInt8(ascii: "\""))
        ExpositionEscaping.appendLabelValue(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    private func checkNotPresent(_ name: String) {
        precondition(!names.contains(name), "label \"\(name)\" appears twice")
    }

    /// The label names, read back from the rendered bytes (kept out of storage: a series needs
    /// only its bytes, and names are needed only while labels are being built).
    var names: [String] {
        var result: [String] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let nameStart = index
            while bytes[index] != UInt8(ascii: "=") { index += 1 }
            result.append(String(decoding: bytes[nameStart..<index], as: UTF8.self))
            index += 2  // `="`
            // Skip the escaped value up to its closing, unescaped quote.
            while bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            index += 2  // `",`
        }
        return result
    }
}
