import ArgumentParser
import Foundation
import Logging
import WardenCore
import WardenRuntime
import WardenStore

/// `tokenwarden-bench generate-db`: fills a database with N realistic usage events through
/// WardenStore's own ``UsageWriter`` (group commit, ledger persisted in the same transactions),
/// so the file is exactly what a daemon that had ingested them over HTTP would leave behind —
/// in a fraction of the time, which keeps the 1M-event recovery benchmark inside its budget.
///
/// The rules directory is read with the daemon's ``ConfigurationLoader`` and the ledger's label
/// configuration is recorded the way `serve` records it at startup, so a daemon later started
/// on the same rules restores the persisted ledger instead of rebuilding it.
struct GenerateDatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-db",
        abstract: "Write N synthetic usage events into a TokenWarden database (prints one JSON line).",
        shouldDisplay: false
    )

    @Option(help: "Rules directory (pricing and tokenwarden.yaml), as given to `tokenwarden serve`.")
    var rules: String

    @Option(help: "Database file to create or extend.")
    var data: String

    @Option(help: "Events to write.")
    var events: Int = 1_000_000

    @Option(help: "Distinct series the events are spread over.")
    var series: Int = SyntheticUsage.steadySeriesCount

    @Option(help: "Events per submission to the writer (one HTTP request's worth).")
    var batch: Int = 5_000

    @Option(help: "Prefix of the generated event ids.")
    var idPrefix: String = "gen"

    struct Result: Codable {
        var events: Int
        var seconds: Double
        /// Time the submitting thread spent building and pricing events (the rest is the writer).
        var preparingSeconds: Double
        var seriesInLedger: Int
        /// Seconds since the start at which each tenth of the events had been handed over: the
        /// usage log's UNIQUE index on random ids costs more per insert as the table grows.
        var tenths: [Double]
        var status: ProcessStatus
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let logger = Logger(label: "generate-db")
        let configuration = try ConfigurationLoader.load(rulesDirectory: rules)
        let deployment = configuration.deployment
        let pricer = UsagePricer(catalog: configuration.catalog, unknownModels: deployment.unknownModels)

        let clock = ContinuousClock()
        let started = clock.now
        let store = try UsageStore(path: data, durability: .processCrash, logger: logger)
        let restored = try store.restoreLedger(labelKeys: deployment.schema.labelKeys, seriesLimit: deployment.seriesLimit)
        let ledger = LiveLedger(restored)
        let writer = UsageWriter(store: store, ledger: ledger, logger: logger)
        writer.start()

        // A few submissions in flight keep the writer's group commits full without queueing
        // the whole data set in memory.
        let inFlight = DispatchSemaphore(value: 4)
        let failure = FirstFailure()
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let span: Int64 = 30 * 86_400 * 1_000_000_000
        let step = span / Int64(max(events, 1))
        var preparing: Duration = .zero
        var tenths: [Double] = []
        var next = 0
        while next < events, failure.message == nil {
            let prepareStart = clock.now
            let end = min(next + batch, events)
            let receivedAt = Timestamp(nanosecondsSinceEpoch: now - Int64(events - end) * step)
            let chunk = (next..<end).map { n in
                SyntheticUsage.event(n, id: Self.eventID(prefix: idPrefix, n),
                                     seriesIndex: SyntheticUsage.seriesIndex(n, seriesCount: series),
                                     time: Timestamp(nanosecondsSinceEpoch: now - Int64(events - n) * step))
            }
            guard case .success(let priced) = pricer.price(chunk, receivedAt: receivedAt) else {
                throw BenchError("the rules in \(rules) do not price the synthetic models")
            }
            preparing += clock.now - prepareStart
            inFlight.wait()
            writer.submit(priced, receivedAt: receivedAt) { result in
                if case .failure(let error) = result { failure.record("\(error)") }
                inFlight.signal()
            }
            next = end
            while tenths.count < 9, next >= events * (tenths.count + 1) / 10 {
                tenths.append((clock.now - started).seconds)
            }
        }
        writer.stop()
        tenths.append((clock.now - started).seconds)
        let seriesInLedger = ledger.read { $0.seriesCount }
        store.close()
        if let message = failure.message { throw BenchError("writing events failed: \(message)") }
        try ProbeChannel.emit(Result(events: events, seconds: (clock.now - started).seconds,
                                     preparingSeconds: preparing.seconds, seriesInLedger: seriesInLedger, tenths: tenths,
                                     status: ProcessStatus.read() ?? ProcessStatus(peakResidentBytes: 0, residentBytes: 0)))
    }

    /// Ids shaped like the ones clients send (a fixed prefix and a 16-hex-digit random-looking
    /// part), so the UNIQUE index on `id` sees realistic keys, not sequential ones.
    static func eventID(prefix: String, _ n: Int) -> String {
        let scrambled = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15 ^ 0x5851_F42D_4C95_7F2D
        let hex = String(scrambled, radix: 16)
        return prefix + "_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
