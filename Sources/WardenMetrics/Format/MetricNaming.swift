/// Which metric and label names may appear in an exposition.
///
/// Both formats share the classic Prometheus rules: metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label
/// names `[a-zA-Z_][a-zA-Z0-9_]*`. Label names starting with `__` are reserved for Prometheus's own
/// use (`__name__`, relabelling temporaries), so an exposer must not emit them.
///
/// Why the writer traps on an invalid name instead of cleaning it up: names come from code or from
/// configuration that is validated when it is loaded (see `AttributionSchema`). One bad name makes
/// Prometheus reject the whole scrape, so it is a bug to find in tests, not a value to guess around.
public enum MetricNaming {
    public static func isValidMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
    }

    public static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !isDigit(first), !name.hasPrefix("__") else { return false }
        return name.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// OpenMetrics: a unit is made of metric-name characters (it is also a name suffix).
    static func isValidUnit(_ unit: String) -> Bool {
        !unit.isEmpty && unit.utf8.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") }
    }

    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
