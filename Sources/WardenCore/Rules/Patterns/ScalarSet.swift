/// A set of Unicode scalars, as sorted, disjoint, non-adjacent ranges of scalar values: what a
/// character class (`[a-z]`, `[^,]`, `\d`) or `.` of a pattern matches.
struct ScalarSet: Equatable, Sendable {
    static let maximum: UInt32 = 0x10FFFF

    /// Sorted by lower bound; no two ranges overlap or touch.
    private(set) var ranges: [ClosedRange<UInt32>]

    init(_ ranges: [ClosedRange<UInt32>]) {
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// `.`: every scalar, line breaks included (as in PromQL).
    static let all = ScalarSet([0...maximum])
    /// `\d`: ASCII digits only, as in RE2 (not Arabic-Indic or other Unicode digits).
    static let digits = ScalarSet([0x30...0x39])
    /// `\w`: `[0-9A-Za-z_]`, as in RE2.
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// `\s`: `[\t\n\f\r ]`, as in RE2 (not the vertical tab, not Unicode spaces).
    static let space = ScalarSet([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])

    func union(_ other: ScalarSet) -> ScalarSet { ScalarSet(ranges + other.ranges) }

    /// The scalars not in this set.
    var inverted: ScalarSet {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
        }
        if next <= Self.maximum { result.append(next...Self.maximum) }
        return ScalarSet(result)
    }

    var isAll: Bool { ranges == [0...Self.maximum] }

    /// The only member, when there is exactly one.
    var single: Unicode.Scalar? {
        guard ranges.count == 1, ranges[0].lowerBound == ranges[0].upperBound else { return nil }
        return Unicode.Scalar(ranges[0].lowerBound)
    }

    func contains(_ value: UInt32) -> Bool {
        ranges.contains { $0.contains(value) }
    }
}
