/// A fixed length of time written in a rule file: `15m`, `1m`, `30s`, `7d`, `1h30m`, `2w`, `500ms`.
///
/// Units are `ms`, `s`, `m`, `h`, `d` (24 hours) and `w` (7 days); every unit is a fixed number of
/// nanoseconds, so `rolling: 7d` is exactly 168 hours even across a DST change (calendar-aligned
/// periods are ``BudgetPeriod``, not durations). Several parts may be combined, largest unit first,
/// each unit at most once (`1h30m`, not `30m1h`), as in Prometheus.
public struct RuleDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static func < (lhs: RuleDuration, rhs: RuleDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Units from largest to smallest; the parser insists on this order and `description` uses it.
    private static let units: [(symbol: String, nanoseconds: Int64)] = [
        ("w", 604_800_000_000_000),
        ("d", 86_400_000_000_000),
        ("h", 3_600_000_000_000),
        ("m", 60_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
    ]

    private static let unitList = "use ms, s, m, h, d, w"

    public init(parsing text: String) throws(RuleDurationError) {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { throw RuleDurationError(offset: 0, message: "empty duration (write e.g. 15m, 1h30m, 7d)") }
        var index = 0
        var total: Int64 = 0
        var previousUnit = -1  // index into `units` of the last part, to enforce largest-first
        while index < scalars.count {
            let numberStart = index
            var value: Int64 = 0
            while index < scalars.count, let digit = Self.digitValue(scalars[index]) {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(digit)
                guard !o1, !o2 else { throw RuleDurationError(offset: numberStart, message: "duration is too large") }
                value = next
                index += 1
            }
            guard index > numberStart else {
                let what = scalars[index] == "-" ? "a duration cannot be negative" : "expected a number, found \"\(scalars[index])\""
                throw RuleDurationError(offset: index, message: what)
            }
            let unitStart = index
            var symbol = ""
            while index < scalars.count, Self.isLetter(scalars[index]) {
                symbol.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !symbol.isEmpty else {
                if index < scalars.count {
                    throw RuleDurationError(offset: index, message: "unexpected \"\(scalars[index])\" in duration (\(Self.unitList))")
                }
                throw RuleDurationError(offset: unitStart, message: "missing unit after \"\(value)\" (\(Self.unitList))")
            }
            guard let unitIndex = Self.units.firstIndex(where: { $0.symbol == symbol }) else {
                throw RuleDurationError(offset: unitStart, message: "unknown unit \"\(symbol)\" in duration (\(Self.unitList))")
            }
            guard unitIndex > previousUnit else {
                let message = unitIndex == previousUnit
                    ? "unit \"\(symbol)\" appears twice in duration"
                    : "unit \"\(symbol)\" after \"\(Self.units[previousUnit].symbol)\": write larger units first, e.g. 1h30m"
                throw RuleDurationError(offset: unitStart, message: message)
            }
            previousUnit = unitIndex
            let (part, o1) = value.multipliedReportingOverflow(by: Self.units[unitIndex].nanoseconds)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { throw RuleDurationError(offset: numberStart, message: "duration is too large") }
            total = sum
        }
        self.nanoseconds = total
    }

    /// Canonical form: largest units first, zero parts left out (`90m` → `1h30m`, `0ms` → `0s`).
    /// A value that is not a whole number of milliseconds (only possible through
    /// ``init(nanoseconds:)``) ends in `ns`, which the parser does not accept.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        var text = nanoseconds < 0 ? "-" : ""
        // Work in UInt64 so that Int64.min has a magnitude.
        var rest = nanoseconds.magnitude
        for unit in Self.units {
            let size = UInt64(unit.nanoseconds)
            if rest >= size {
                text += "\(rest / size)\(unit.symbol)"
                rest %= size
            }
        }
        if rest > 0 { text += "\(rest)ns" }
        return text
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int64? {
        scalar.value >= 48 && scalar.value <= 57 ? Int64(scalar.value - 48) : nil
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 65 && scalar.value <= 90) || (scalar.value >= 97 && scalar.value <= 122)
    }
}
