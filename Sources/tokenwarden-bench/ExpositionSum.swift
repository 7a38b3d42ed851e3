/// Sums one metric's samples in a Prometheus text exposition — enough to check from outside
/// that what wrk saw acknowledged was really counted (`tokenwarden_requests_total`).
enum ExpositionSum {
    static func sum(_ name: String, in body: [UInt8]) -> Double {
        var total = 0.0
        let text = String(decoding: body, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard let next = rest.first, next == "{" || next == " " else { continue }
            if let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) {
                total += value
            }
        }
        return total
    }

    /// Lines that are samples (not `#` comments): one per series and label combination.
    static func sampleCount(in body: [UInt8]) -> Int {
        var counter = SampleLineCounter()
        body.withUnsafeBytes { counter.consume($0) }
        return counter.count
    }

    /// ``sampleCount(in:)`` over a body that arrives in pieces.
    struct SampleLineCounter {
        private(set) var count = 0
        private var atLineStart = true

        mutating func consume(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes {
                if atLineStart && byte != UInt8(ascii: "#") && byte != UInt8(ascii: "\n") { count += 1 }
                atLineStart = byte == UInt8(ascii: "\n")
            }
        }
    }
}
