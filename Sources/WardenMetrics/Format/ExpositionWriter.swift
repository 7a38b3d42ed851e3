import WardenCore

/// Writes one scrape's exposition, in either format, by appending bytes to one buffer.
///
/// Call ``family(_:type:help:unit:)`` once per family, then its samples, then the next family;
/// finish with ``finish()``. Families must not be interleaved (both formats forbid it); a debug
/// build traps when a family name comes back.
///
/// Names are given once, as exposed in Prometheus text 0.0.4 — counters end in `_total`, info
/// metrics in `_info` — and the writer derives the OpenMetrics spelling:
///
/// | given                         | 0.0.4 `# TYPE`                  | OpenMetrics `# TYPE`        | sample name (both)     |
/// |-------------------------------|---------------------------------|-----------------------------|------------------------|
/// | `x_total`, counter            | `x_total counter`               | `x counter`                 | `x_total`              |
/// | `tokenwarden_build_info`, info | `tokenwarden_build_info gauge` | `tokenwarden_build info`    | `tokenwarden_build_info` |
///
/// Why a counter or info name without its suffix still works: in OpenMetrics the writer then
/// appends `_total` / `_info` to the sample names, as the Go client does, because OpenMetrics
/// parsers reject the bare name.
///
/// Cost: a sample is a copy of the name, the pre-rendered ``LabelPairs`` bytes and the value's
/// digits — no escaping, no allocation once the buffer has grown.
public struct ExpositionWriter: Sendable {
    public let format: ExpositionFormat
    private var buffer: [UInt8]
    /// OpenMetrics only: `_total` or `_info` when the current family's samples must get it.
    private var missingSampleSuffix: String?
    private var writtenFamilies: Set<String> = []

    public init(format: ExpositionFormat, reservingCapacity: Int = 0) {
        self.format = format
        buffer = []
        buffer.reserveCapacity(reservingCapacity)
    }

    /// Bytes written so far; useful to size the next scrape's `reservingCapacity`.
    public var byteCount: Int { buffer.count }

    /// Starts a family: `# HELP` and `# TYPE` (text 0.0.4), or `# TYPE`, `# UNIT`, `# HELP`
    /// (OpenMetrics, in the order its spec recommends).
    ///
    /// - Parameters:
    ///   - help: Empty means no `# HELP` line (OpenMetrics treats an empty one as absent anyway).
    ///   - unit: OpenMetrics `# UNIT`, e.g. `seconds`. Written only where OpenMetrics allows it: the
    ///     family name must end in `_` + unit, and `info` families have none. Ignored in text 0.0.4,
    ///     which has no unit line.
    /// - Precondition: `name` is a valid metric name.
    public mutating func family(_ name: String, type: MetricType, help: String, unit: String? = nil) {
        precondition(MetricNaming.isValidMetricName(name), "invalid metric name \"\(name)\"")
        let familyName = exposedFamilyName(name, type: type)
        assert(writtenFamilies.insert(familyName).inserted, "metric family \"\(familyName)\" written twice; families must not be interleaved")

        switch format {
        case .prometheusText:
            missingSampleSuffix = nil
            appendHelp(familyName, help)
            appendType(familyName, type)
        case .openMetrics:
            switch type {
            case .counter where !name.hasSuffix("_total"): missingSampleSuffix = "_total"
            case .info where !name.hasSuffix("_info"): missingSampleSuffix = "_info"
            default: missingSampleSuffix = nil
            }
            appendType(familyName, type)
            if let unit, type != .info, MetricNaming.isValidUnit(unit), familyName.hasSuffix("_" + unit) {
                appendStatic("# UNIT ")
                buffer.append(contentsOf: familyName.utf8)
                buffer.append(UInt8(ascii: " "))
                buffer.append(contentsOf: unit.utf8)
                buffer.append(UInt8(ascii: "\n"))
            }
            appendHelp(familyName, help)
        }
    }

    /// The family name in `# TYPE`/`# UNIT`/`# HELP` lines.
    private func exposedFamilyName(_ name: String, type: MetricType) -> String {
        guard format == .openMetrics else { return name }
        switch type {
        // A name that is only the suffix (`_total`) keeps it: the family name cannot be empty.
        case .counter where name.hasSuffix("_total") && name.utf8.count > 6: return String(name.dropLast(6))
        case .info where name.hasSuffix("_info") && name.utf8.count > 5: return String(name.dropLast(5))
        default: return name
        }
    }

    // MARK: Samples

    public mutating func sample(_ name: String, _ labels: LabelPairs, _ value: Int64) {
        appendSeries(name, labels)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func sample(_ name: String, _ labels: LabelPairs, _ value: UInt64) {
        appendSeries(name, labels)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `Int` too, so that an integer literal has one obvious overload.
    public mutating func sample(_ name: String, _ labels: LabelPairs, _ value: Int) {
        sample(name, labels, Int64(value))
    }

    public mutating func sample(_ name: String, _ labels: LabelPairs, _ value: Double) {
        appendSeries(name, labels)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// A sample with one more label after `labels`, e.g. `kind="input"`, escaped on the way.
    /// For a hot path, prefer the ``LabelPairs`` overload with the extra label rendered once.
    /// - Precondition: `extra.0` is a valid label name not already in `labels` (checked in debug builds).
    public mutating func sample(_ name: String, _ labels: LabelPairs, extra: (String, String), _ value: Double) {
        appendSeries(name, labels, extra: extra)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func sample(_ name: String, _ labels: LabelPairs, extra: (String, String), _ value: Int64) {
        appendSeries(name, labels, extra: extra)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func sample(_ name: String, _ labels: LabelPairs, extra: (String, String), _ value: UInt64) {
        appendSeries(name, labels, extra: extra)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func sample(_ name: String, _ labels: LabelPairs, extra: (String, String), _ value: Int) {
        sample(name, labels, extra: extra, Int64(value))
    }

    /// A sample with pre-rendered extra labels after `labels` (e.g. a shared `kind="input"`).
    public mutating func sample(_ name: String, _ labels: LabelPairs, extra: LabelPairs, _ value: Double) {
        appendSeries(name, labels, extra: extra.bytes)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func sample(_ name: String, _ labels: LabelPairs, extra: LabelPairs, _ value: UInt64) {
        appendSeries(name, labels, extra: extra.bytes)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func sample(_ name: String, _ labels: LabelPairs, extra: LabelPairs, _ value: Int64) {
        appendSeries(name, labels, extra: extra.bytes)
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    public mutating func sample(_ name: String, _ labels: LabelPairs, extra: LabelPairs, _ value: Int) {
        sample(name, labels, extra: extra, Int64(value))
    }

    // MARK: Pre-rendered samples (hot loops)

    /// The name a sample of the current family starts with, as exposed (in OpenMetrics with the
    /// `_total`/`_info` suffix the family needs). For loops over many series: render it once per
    /// family and pass it to ``sample(prefix:_:extra:_:)-(_,_,_,Int64)``.
    public func sampleName(_ name: String) -> [UInt8] {
        var bytes = Array(name.utf8)
        if let suffix = missingSampleSuffix, !name.hasSuffix(suffix) { bytes.append(contentsOf: suffix.utf8) }
        return bytes
    }

    /// Reserves room for `bytes` more bytes (e.g. an estimate of the samples still to come), so a
    /// large exposition is not copied while the buffer grows.
    public mutating func reserveAdditional(_ bytes: Int) {
        buffer.reserveCapacity(buffer.count + bytes)
    }

    /// A sample whose parts are all rendered already: `name` from ``sampleName(_:)``, the series'
    /// labels, and `extra`, more rendered label pairs (such as `kind="input"`, from a
    /// ``LabelPairs``' bytes) or empty. Only copies bytes and writes the value's digits.
    @inline(__always)
    public mutating func sample(prefix name: [UInt8], _ labels: LabelPairs, extra: [UInt8], _ value: Int64) {
        labels.bytes.withUnsafeBufferPointer { appendRendered(name, $0, extra) }
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    @inline(__always)
    public mutating func sample(prefix name: [UInt8], _ labels: LabelPairs, extra: [UInt8], _ value: Double) {
        labels.bytes.withUnsafeBufferPointer { appendRendered(name, $0, extra) }
        SampleValueFormatting.append(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// A sample whose value is an exact amount of money, written as its exact decimal (every
    /// significant digit, no exponent): Prometheus reads it as the nearest float, as it would the
    /// float's own digits, but the text itself is the ledger's amount, cent for cent.
    @inline(__always)
    public mutating func sample(prefix name: [UInt8], _ labels: LabelPairs, extra: [UInt8], _ value: Money) {
        labels.bytes.withUnsafeBufferPointer { appendRendered(name, $0, extra) }
        value.appendExactDecimal(to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// The samples of one family for many series, each series with one sample per entry of
    /// `extras`: for each series `i` in `0..<count` (at most `labels.count`), for each `k`,
    /// `name{labels[i],extras[k]} value(i, k)`. The loop runs here, where the byte copies are
    /// inlined, so a 100k-series scrape costs little more than the bytes it writes.
    public mutating func samples(prefix name: [UInt8], labels: [LabelPairs], count: Int, extras: [[UInt8]],
                                 _ value: (Int, Int) -> Int64) {
        samples(prefix: name, labels: labels, range: 0..<count, extras: extras, value)
    }

    /// ``samples(prefix:labels:count:extras:_:)`` for the series in `range` only: a streamed scrape
    /// renders a family a slice at a time.
    public mutating func samples(prefix name: [UInt8], labels: [LabelPairs], range: Range<Int>, extras: [[UInt8]],
                                 _ value: (Int, Int) -> Int64) {
        precondition(range.upperBound <= labels.count)
        for index in range {
            labels[index].bytes.withUnsafeBufferPointer { labelBytes in
                for (kind, extra) in extras.enumerated() {
                    appendRendered(name, labelBytes, extra)
                    SampleValueFormatting.append(value(index, kind), to: &buffer)
                    buffer.append(UInt8(ascii: "\n"))
                }
            }
        }
    }

    @inline(__always)
    private mutating func appendRendered(_ name: [UInt8], _ labels: UnsafeBufferPointer<UInt8>, _ extra: [UInt8]) {
        buffer.append(contentsOf: name)
        if labels.isEmpty && extra.isEmpty {
            buffer.append(UInt8(ascii: " "))
            return
        }
        buffer.append(UInt8(ascii: "{"))
        buffer.append(contentsOf: labels)
        if !labels.isEmpty, !extra.isEmpty { buffer.append(UInt8(ascii: ",")) }
        buffer.append(contentsOf: extra)
        buffer.append(UInt8(ascii: "}"))
        buffer.append(UInt8(ascii: " "))
    }

    /// Hands the bytes written so far to `consume` and forgets them, keeping the buffer's capacity
    /// and the current family: a streamed scrape sends its exposition a piece at a time, so memory
    /// is bounded by the piece, not by the body.
    public mutating func drain<Result>(_ consume: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        defer { buffer.removeAll(keepingCapacity: true) }
        return try buffer.withUnsafeBufferPointer(consume)
    }

    /// Hands over the bytes written so far by exchanging buffers with `other`, which must be empty:
    /// ``drain(_:)`` without the copy, for a streamed scrape that sends the bytes as they are. The
    /// writer keeps `other`'s capacity and the current family.
    public mutating func exchangeBytes(with other: inout [UInt8]) {
        precondition(other.isEmpty, "exchangeBytes needs an empty buffer")
        swap(&buffer, &other)
    }

    /// The one sample of an info series: its labels, value 1.
    public mutating func info(_ name: String, _ labels: LabelPairs) {
        sample(name, labels, Int64(1))
    }

    /// A histogram series: one cumulative `name_bucket` per bound with `le` last among the labels,
    /// ending with `le="+Inf"`, then `name_sum` and `name_count`. `name` is the family name.
    public mutating func histogram(_ name: String, _ labels: LabelPairs, _ snapshot: HistogramSnapshot) {
        for (bucket, count) in snapshot.cumulativeCounts.enumerated() {
            buffer.append(contentsOf: name.utf8)
            appendStatic("_bucket{")
            if !labels.bytes.isEmpty {
                buffer.append(contentsOf: labels.bytes)
                buffer.append(UInt8(ascii: ","))
            }
            buffer.append(contentsOf: snapshot.bucketLabels.le[bucket])
            appendStatic("} ")
            SampleValueFormatting.append(count, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
        buffer.append(contentsOf: name.utf8)
        appendStatic("_sum")
        appendLabelBlock(labels.bytes)
        SampleValueFormatting.append(snapshot.sum, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
        buffer.append(contentsOf: name.utf8)
        appendStatic("_count")
        appendLabelBlock(labels.bytes)
        SampleValueFormatting.append(snapshot.count, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// The exposition, ending with `# EOF` in OpenMetrics. The writer is empty afterwards.
    public mutating func finish() -> [UInt8] {
        if format == .openMetrics { appendStatic("# EOF\n") }
        var result: [UInt8] = []
        swap(&result, &buffer)
        writtenFamilies = []
        missingSampleSuffix = nil
        return result
    }

    // MARK: Bytes

    /// `name{labels} ` or `name ` (no braces for an empty label set).
    @inline(__always)
    private mutating func appendSeries(_ name: String, _ labels: LabelPairs) {
        appendSampleName(name)
        appendLabelBlock(labels.bytes)
    }

    @inline(__always)
    private mutating func appendSeries(_ name: String, _ labels: LabelPairs, extra: [UInt8]) {
        appendSampleName(name)
        buffer.append(UInt8(ascii: "{"))
        buffer.append(contentsOf: labels.bytes)
        if !labels.bytes.isEmpty, !extra.isEmpty { buffer.append(UInt8(ascii: ",")) }
        buffer.append(contentsOf: extra)
        appendStatic("} ")
    }

    @inline(__always)
    private mutating func appendSeries(_ name: String, _ labels: LabelPairs, extra: (String, String)) {
        assert(MetricNaming.isValidLabelName(extra.0) && !labels.names.contains(extra.0), "invalid or repeated extra label \"\(extra.0)\"")
        appendSampleName(name)
        buffer.append(UInt8(ascii: "{"))
        buffer.append(contentsOf: labels.bytes)
        if !labels.bytes.isEmpty { buffer.append(UInt8(ascii: ",")) }
        buffer.append(contentsOf: extra.0.utf8)
        appendStatic("=\"")
        ExpositionEscaping.appendLabelValue(extra.1, to: &buffer)
        appendStatic("\"} ")
    }

    @inline(__always)
    private mutating func appendSampleName(_ name: String) {
        buffer.append(contentsOf: name.utf8)
        if let suffix = missingSampleSuffix, !name.hasSuffix(suffix) {
            buffer.append(contentsOf: suffix.utf8)
        }
    }

    @inline(__always)
    private mutating func appendLabelBlock(_ labels: [UInt8]) {
        if labels.isEmpty {
            buffer.append(UInt8(ascii: " "))
        } else {
            buffer.append(UInt8(ascii: "{"))
            buffer.append(contentsOf: labels)
            appendStatic("} ")
        }
    }

    private mutating func appendHelp(_ familyName: String, _ help: String) {
        guard !help.isEmpty else { return }
        appendStatic("# HELP ")
        buffer.append(contentsOf: familyName.utf8)
        buffer.append(UInt8(ascii: " "))
        ExpositionEscaping.appendHelp(help, format: format, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    private mutating func appendType(_ familyName: String, _ type: MetricType) {
        appendStatic("# TYPE ")
        buffer.append(contentsOf: familyName.utf8)
        buffer.append(UInt8(ascii: " "))
        appendStatic(type.typeWord(in: format))
        buffer.append(UInt8(ascii: "\n"))
    }

    @inline(__always)
    private mutating func appendStatic(_ text: StaticString) {
        SampleValueFormatting.appendStatic(text, to: &buffer)
    }
}
