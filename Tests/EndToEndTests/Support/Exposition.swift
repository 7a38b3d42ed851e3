import Foundation

/// Reads samples out of a Prometheus text exposition, for assertions. Deliberately simple: the
/// real parsers (promtool, prometheus_client, a Prometheus server) are exercised separately.
struct Exposition {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []

    init(_ text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let sample = Self.parse(String(line)) else { continue }
            samples.append(sample)
        }
    }

    func values(_ name: String, where matches: [String: String] = [:]) -> [Double] {
        samples.filter { sample in
            sample.name == name && matches.allSatisfy { sample.labels[$0.key] == $0.value }
        }.map(\.value)
    }

    func sum(_ name: String, where matches: [String: String] = [:]) -> Double {
        values(name, where: matches).reduce(0, +)
    }

    private static func parse(_ line: String) -> Sample? {
        var labels: [String: String] = [:]
        var index = line.startIndex
        while index < line.endIndex, line[index] != "{", line[index] != " " { index = line.index(after: index) }
        let name = String(line[line.startIndex..<index])
        if index < line.endIndex, line[index] == "{" {
            index = line.index(after: index)
            while index < line.endIndex, line[index] != "}" {
                let equals = line[index...].firstIndex(of: "=")!
                let key = String(line[index..<equals])
                var cursor = line.index(equals, offsetBy: 2)
                var value = ""
                while line[cursor] != "\"" {
                    if line[cursor] == "\\" {
                        cursor = line.index(after: cursor)
                        switch line[cursor] {
                        case "n": value.append("\n")
                        default: value.append(line[cursor])
                        }
                    } else {
                        value.append(line[cursor])
                    }
                    cursor = line.index(after: cursor)
                }
                labels[key] = value
                index = line.index(after: cursor)
                if index < line.endIndex, line[index] == "," { index = line.index(after: index) }
            }
            index = line.index(after: index)
        }
        let rest = line[index...].trimmingCharacters(in: .whitespaces).split(separator: " ")
        guard let first = rest.first, let value = Double(first) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }
}
