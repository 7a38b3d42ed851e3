/// Renders many ``LabelPairs`` that share their label names, such as one per ledger series.
///
/// The names are validated and rendered once (`name="`); each ``render(_:)`` then only escapes
/// the values. Identical bytes to `LabelPairs(zip(names, values))`.
public struct LabelTemplate: Sendable {
    private let openings: [[UInt8]]

    /// - Precondition: every name is a valid label name and no name appears twice.
    public init(names: [String]) {
        // Validates the names exactly as LabelPairs does.
        _ = LabelPairs(names.map { ($0, "") })
        openings = names.enumerated().map { position, name in
            (position == 0 ? [] : [UInt8(ascii: ",")]) + Array(name.utf8) + [UInt8(ascii: "="), UInt8(ascii: "\"")]
        }
    }

    /// The labels with these values, one per name, in order.
    /// - Precondition: as many values as names.
    public func render(_ values: [String]) -> LabelPairs {
        precondition(values.count == openings.count, "\(values.count) label values for \(openings.count) names")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(openings.reduce(0) { $0 + $1.count + 1 } + values.reduce(0) { $0 + $1.utf8.count })
        for (opening, value) in zip(openings, values) {
            bytes.append(contentsOf: opening)
            ExpositionEscaping.appendLabelValue(value, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        return LabelPairs(rendered: bytes)
    }
}
