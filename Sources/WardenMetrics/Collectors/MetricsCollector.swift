/// A source of metric families, asked for them at every scrape, after the ledger's families.
///
/// Each collector owns the families it writes (no two collectors write the same family) and
/// reads its state when asked, so a scrape sees the state of that moment; a collector that needs
/// expensive work (a scan of the usage log) keeps the result of its last refresh instead.
public protocol MetricsCollector: Sendable {
    func write(into writer: inout ExpositionWriter)
}
