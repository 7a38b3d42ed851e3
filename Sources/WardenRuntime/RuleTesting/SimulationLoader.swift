import Foundation
import WardenCore
import WardenFormats
import WardenStore

/// What `tokenwarden simulate` replays: a rules directory's rule set and settings, and recorded
/// usage priced as the server would have priced it.
public struct SimulationInput: Sendable {
    public var simulation: RuleSimulation
    public var events: [PricedEvent]
    public var warnings: [String]
}

public enum SimulationLoader {
    /// ``load(rulesDirectory:eventsFiles:zoneInfo:)`` with one file of events.
    public static func load(rulesDirectory: String, eventsFile: String,
                            zoneInfo: ZoneInfoDirectory = ZoneInfoDirectory()) throws(ConfigurationLoadError) -> SimulationInput {
        try load(rulesDirectory: rulesDirectory, eventsFiles: [eventsFile], zoneInfo: zoneInfo)
    }

    /// Reads the rules directory (rule files, `tokenwarden.yaml`, `pricing/`) and files of usage
    /// events, each event with its `time`. A file is NDJSON of `POST /v1/usage` events (what
    /// `GET /v1/usage.ndjson` exports) or one page of `GET /v1/usage` (``UsageExportPage``); the
    /// events of all files are replayed together, in time order.
    ///
    /// - Throws: every problem, as `file:line:col: message` for the rule files and
    ///   `file: event N: field: message` for the events (N counts from 0 in each file).
    public static func load(rulesDirectory: String, eventsFiles: [String],
                            zoneInfo: ZoneInfoDirectory = ZoneInfoDirectory()) throws(ConfigurationLoadError) -> SimulationInput {
        let configuration = try ConfigurationLoader.load(rulesDirectory: rulesDirectory)
        let deployment = configuration.deployment
        var messages: [String] = []
        var rules: RuleSet?
        do {
            rules = try RuleDirectory(path: rulesDirectory, zoneInfo: zoneInfo).load(schema: deployment.schema)
        } catch {
            messages += error.errors.map(\.description)
        }

        var priced: [PricedEvent] = []
        let pricer = UsagePricer(catalog: configuration.catalog, unknownModels: deployment.unknownModels)
        // One decoder call per file: every error of every event is reported at once.
        let decoder = UsageEventDecoder(schema: deployment.schema, maxEventsPerBody: Int(Int32.max),
                                        maxAttributionBytes: deployment.maxAttributionBytes)
        for eventsFile in eventsFiles {
            guard let data = FileManager.default.contents(atPath: eventsFile) else {
                messages.append("\(eventsFile): cannot read file")
                continue
            }
            do {
                let bytes = [UInt8](data)
                let events: [UsageEvent]
                if let page = UsageExportPage.usageBody(fromPage: bytes) {
                    events = try decoder.decode(page, format: .json)
                } else {
                    events = try decoder.decode(bytes, format: .ndjson)
                }
                let untimed = events.indices.filter { events[$0].time == nil }
                for index in untimed.prefix(20) {
                    messages.append("\(eventsFile): event \(index) (\(events[index].id)): time: is required to replay usage")
                }
                if untimed.count > 20 { messages.append("\(eventsFile): \(untimed.count - 20) more events without a time") }
                switch pricer.price(events, receivedAt: Timestamp(nanosecondsSinceEpoch: 0)) {
                case .success(let result): priced += result
                case .failure(let unknown): messages += unknown.errors.map { "\(eventsFile): \($0)" }
                }
            } catch .invalid(let errors) {
                messages += errors.map { "\(eventsFile): \($0)" }
            } catch {
                messages.append("\(eventsFile): \(error)")
            }
        }
        guard messages.isEmpty, let rules else { throw ConfigurationLoadError(messages: messages) }
        let simulation = RuleSimulation(rules: rules, configuration: RuleEngine.Configuration(reservationTTL: deployment.reservationTTL.nanoseconds))
        return SimulationInput(simulation: simulation, events: priced, warnings: configuration.warnings)
    }
}
