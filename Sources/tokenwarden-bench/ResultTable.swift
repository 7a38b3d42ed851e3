import Foundation

/// The report: one row per measurement, printed as an aligned table, then the notes.
///
/// Numbers are never asserted: the machine is shared and noisy, so a miss is reported as `MISS`
/// and the run still exits 0. Only a measurement that could not be taken is an error (`ERROR`).
struct ResultTable {
    enum Verdict: String {
        case pass = "PASS"
        case miss = "MISS"
        case info = "-"
        case error = "ERROR"
    }

    struct Row {
        var metric: String
        var value: String
        var baseline: String = "-"
        var ratio: String = "-"
        var target: String = "-"
        var verdict: Verdict = .info
    }

    private(set) var rows: [Row] = []
    private(set) var notes: [String] = []

    mutating func add(_ row: Row) {
        rows.append(row)
        print("  \(row.metric): \(row.value)  [\(row.verdict.rawValue)]")
        fflush(nil)
    }

    mutating func note(_ text: String) {
        notes.append(text)
        print("  note: \(text)")
        fflush(nil)
    }

    mutating func failed(_ metric: String, _ error: Error) {
        add(Row(metric: metric, value: "not measured", verdict: .error))
        note("\(metric): \(error)")
    }

    var hasErrors: Bool { rows.contains { $0.verdict == .error } }

    func render() -> String {
        let header = Row(metric: "metric", value: "value", baseline: "baseline", ratio: "ratio", target: "target")
        let all = [header] + rows
        func width(_ column: (Row) -> String) -> Int { all.map { column($0).count }.max() ?? 0 }
        let columns: [(Row) -> String] = [\.metric, \.value, \.baseline, \.ratio, \.target]
        let widths = columns.map(width)
        func line(_ row: Row, verdict: String) -> String {
            var text = ""
            for (index, column) in columns.enumerated() {
                let cell = column(row)
                text += cell + String(repeating: " ", count: widths[index] - cell.count) + "  "
            }
            return text + verdict
        }
        var output = line(header, verdict: "result") + "\n"
        output += String(repeating: "-", count: widths.reduce(0, +) + 2 * widths.count + 6) + "\n"
        for row in rows { output += line(row, verdict: row.verdict.rawValue) + "\n" }
        if !notes.isEmpty {
            output += "\nNotes:\n"
            for note in notes { output += "  - \(note)\n" }
        }
        return output
    }
}

/// Number formatting for the table: compact, fixed precision, units in the text.
enum Format {
    static func rate(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }

    static func ratio(_ value: Double) -> String { String(format: "%.2fx", value) }

    static func percent(_ value: Double) -> String { String(format: "%.0f%%", value * 100) }

    static func seconds(_ value: Double) -> String {
        if value < 1e-3 { return String(format: "%.0f us", value * 1e6) }
        if value < 1 { return String(format: "%.1f ms", value * 1e3) }
        return String(format: "%.2f s", value)
    }

    static func bytes(_ value: Int) -> String {
        let mib = Double(value) / 1_048_576
        if mib < 1 { return String(format: "%.0f KiB", Double(value) / 1024) }
        return mib >= 10 ? String(format: "%.0f MiB", mib) : String(format: "%.1f MiB", mib)
    }

    static func count(_ value: Int) -> String {
        if value >= 1_000_000 && value % 1_000_000 == 0 { return "\(value / 1_000_000)M" }
        if value >= 1_000 && value % 1_000 == 0 { return "\(value / 1_000)k" }
        return "\(value)"
    }
}
