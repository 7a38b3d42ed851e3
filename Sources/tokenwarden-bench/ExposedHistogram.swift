/// A histogram's cumulative buckets read from a Prometheus text exposition, summed over its
/// series: enough to tell from outside how long the daemon itself took, next to what wrk saw.
struct ExposedHistogram {
    /// Cumulative counts by upper bound, ascending; `+Inf` last.
    private(set) var buckets: [(upperBound: Double, count: Double)] = []

    init(_ name: String, in body: [UInt8]) {
        var counts: [Double: Double] = [:]
        let prefix = name + "_bucket{"
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix(prefix) {
            guard let labelStart = line.range(of: "le=\""),
                  let labelEnd = line[labelStart.upperBound...].firstIndex(of: "\""),
                  let space = line.lastIndex(of: " "),
                  let count = Double(line[line.index(after: space)...]) else { continue }
            let bound = line[labelStart.upperBound..<labelEnd]
            guard let upperBound = bound == "+Inf" ? Double.infinity : Double(bound) else { continue }
            counts[upperBound, default: 0] += count
        }
        buckets = counts.sorted { $0.key < $1.key }.map { (upperBound: $0.key, count: $0.value) }
    }

    private init(buckets: [(upperBound: Double, count: Double)]) { self.buckets = buckets }

    /// What was observed between `earlier` and this reading (same buckets).
    func since(_ earlier: ExposedHistogram) -> ExposedHistogram {
        let before = Dictionary(earlier.buckets.map { ($0.upperBound, $0.count) }, uniquingKeysWith: +)
        return ExposedHistogram(buckets: buckets.map { (upperBound: $0.upperBound, count: $0.count - (before[$0.upperBound] ?? 0)) })
    }

    var count: Double { buckets.last?.count ?? 0 }

    /// The smallest bucket bound that holds at least `quantile` of the observations: the
    /// quantile is at most this (a histogram cannot say more); nil without observations.
    func upperBound(ofQuantile quantile: Double) -> Double? {
        guard count > 0 else { return nil }
        return buckets.first { $0.count >= quantile * count }?.upperBound
    }
}
