import ArgumentParser
import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenStore

/// `tokenwarden-bench ingest-stage-probe`: the ingest path split into its stages, in process,
/// without HTTP — decode (``UsageEventDecoder``), price (``UsagePricer``), and the durable group
/// commit (``UsageWriter``, fed with at most 64 requests in flight, as wrk's 64 connections do).
///
/// Run next to the HTTP numbers it tells which stage bounds ingest: per event, the CPU a stage
/// needs on one core, compared with the daemon's CPU per event and the bare server's per request.
struct IngestStageProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest-stage-probe",
        abstract: "Time decode, pricing and the group commit of usage events in process (prints one JSON line).",
        shouldDisplay: false
    )

    @Option(help: "Database file for the commit stage (created).")
    var data: String

    @Option(help: "Events per batch size measured.")
    var events: Int = 100_000

    @Option(help: "Requests in flight while measuring the commit stage.")
    var inFlight: Int = 64

    struct Stage: Codable {
        var batch: Int
        var events: Int
        var bodyBytes: Int
        var decodeSeconds: Double
        var priceSeconds: Double
        var commitSeconds: Double
        /// CPU of decode and price (this thread), and of the commit (the whole process: the
        /// writer thread, plus this thread's submit loop, which is small).
        var decodeCPUSeconds: Double
        var priceCPUSeconds: Double
        var commitCPUSeconds: Double
        /// Bytes SQLite wrote (WAL frames and checkpoints) during the commit stage.
        var commitBytesWritten: Int
    }

    struct Result: Codable {
        var stages: [Stage]
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let logger = Logger(label: "ingest-stage-probe")
        let decoder = UsageEventDecoder(schema: AttributionSchema.standard)
        let pricer = UsagePricer(catalog: try BenchPricing.catalog(), unknownModels: .reject)
        let store = try UsageStore(path: data, durability: .processCrash, logger: logger)
        let ledger = LiveLedger(try store.restoreLedger(labelKeys: AttributionSchema.defaultLabelKeys, seriesLimit: 10_000))
        let writer = UsageWriter(store: store, ledger: ledger, logger: logger)
        writer.start()
        defer {
            writer.stop()
            store.close()
        }

        var stages: [Stage] = []
        for batch in [1, 100] {
            // Each batch size gets its own events (own ids) so the commit stage never sees duplicates.
            let bodies = Self.bodies(events: events, batch: batch, prefix: "stage-b\(batch)")
            let clock = ContinuousClock()

            var decoded: [[UsageEvent]] = []
            decoded.reserveCapacity(bodies.count)
            let decodeStart = clock.now
            let decodeCPUStart = ProcessStatus.threadCPUSeconds()
            for body in bodies { decoded.append(try decoder.decode(body, format: .json)) }
            let decodeCPUSeconds = ProcessStatus.threadCPUSeconds() - decodeCPUStart
            let decodeSeconds = (clock.now - decodeStart).seconds

            var priced: [[PricedEvent]] = []
            priced.reserveCapacity(decoded.count)
            let receivedAt = Timestamp(nanosecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1e9))
            let priceStart = clock.now
            let priceCPUStart = ProcessStatus.threadCPUSeconds()
            for events in decoded {
                guard case .success(let result) = pricer.price(events, receivedAt: receivedAt) else {
                    throw BenchError("the benchmark's pricing does not price its events")
                }
                priced.append(result)
            }
            let priceSeconds = (clock.now - priceStart).seconds
            let priceCPUSeconds = ProcessStatus.threadCPUSeconds() - priceCPUStart

            let slots = DispatchSemaphore(value: inFlight)
            let failure = FirstFailure()
            let commitStart = clock.now
            let commitCPUStart = ProcessStatus.cpuSeconds(pid: getpid()) ?? 0
            let writtenStart = ProcessStatus.bytesWritten() ?? 0
            for events in priced {
                slots.wait()
                writer.submit(events, receivedAt: receivedAt) { result in
                    if case .failure(let error) = result { failure.record("\(error)") }
                    slots.signal()
                }
            }
            for _ in 0..<inFlight { slots.wait() }
            let commitSeconds = (clock.now - commitStart).seconds
            let commitCPUSeconds = (ProcessStatus.cpuSeconds(pid: getpid()) ?? 0) - commitCPUStart
            let commitBytesWritten = (ProcessStatus.bytesWritten() ?? 0) - writtenStart
            for _ in 0..<inFlight { slots.signal() }
            if let message = failure.message { throw BenchError("commit failed: \(message)") }

            stages.append(Stage(batch: batch, events: events, bodyBytes: bodies.reduce(0) { $0 + $1.count },
                                decodeSeconds: decodeSeconds, priceSeconds: priceSeconds, commitSeconds: commitSeconds,
                                decodeCPUSeconds: decodeCPUSeconds, priceCPUSeconds: priceCPUSeconds,
                                commitCPUSeconds: commitCPUSeconds, commitBytesWritten: commitBytesWritten))
        }
        try ProbeChannel.emit(Result(stages: stages))
    }

    /// Request bodies exactly as the wrk script builds them (same tails, same id shape).
    static func bodies(events: Int, batch: Int, prefix: String) -> [[UInt8]] {
        let pool = (0..<1_021).map { SyntheticUsage.jsonTail($0, seriesCount: SyntheticUsage.steadySeriesCount) }
        var bodies: [[UInt8]] = []
        var n = 0
        var request = 0
        while n < events {
            request += 1
            let count = min(batch, events - n)
            var parts: [String] = []
            for i in 1...count {
                parts.append(#"{"id":"\#(prefix)-1-\#(request)-\#(i)""# + pool[(request * batch + i) % pool.count])
            }
            let text = batch == 1 ? parts[0] : "[" + parts.joined(separator: ",") + "]"
            bodies.append(Array(text.utf8))
            n += count
        }
        return bodies
    }
}
