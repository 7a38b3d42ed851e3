/// What a judged ratio is made of when the baseline and the measured server run in turns.
///
/// On these shared cores the bare handler alone measured anywhere from 48k to 114k requests/s
/// within one day, so a ratio of one run against one run taken a minute apart says as much about
/// the neighbours as about the code. Each round runs the bare handler and then tokenwarden on the
/// same load, one right after the other; each round gives one ratio, and the verdict is taken on
/// the median of them. Every round's ratio is printed too, so a split verdict shows.
struct PairedRounds {
    let ratios: [Double]

    /// One ratio per round, in round order.
    init(_ ratios: [Double]) { self.ratios = ratios }

    /// The middle ratio (the mean of the two middle ones for an even count); nil without rounds.
    var median: Double? { Self.median(of: ratios) }

    static func median(of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// "1.20x 2.31x 0.95x", in round order; a round that did not count shows as "-".
    var byRound: String {
        ratios.map { $0.isFinite ? Format.ratio($0) : "-" }.joined(separator: " ")
    }

    /// How many rounds met `target` on their own, e.g. "2 of 3 rounds".
    func passing(_ target: (Double) -> Bool) -> String {
        "\(ratios.filter(target).count) of \(ratios.count) rounds"
    }
}
