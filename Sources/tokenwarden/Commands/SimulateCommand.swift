import ArgumentParser
import Foundation
import WardenCore
import WardenRuntime

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay recorded usage against a rule set: which budget steps would have fired, and when.",
        discussion: """
            Reads the rules directory as serve does (rule files, tokenwarden.yaml, pricing/) and usage events, \
            each with its time, from one or more files: NDJSON in the POST /v1/usage format (what \
            GET /v1/usage.ndjson exports) or pages of GET /v1/usage as saved (--events once per page). \
            Events are priced at their own \
            time and replayed in time order through fresh budgets, the clock ticking every minute in between, \
            and every audit row is printed in time order, then each budget instance as it stood after the \
            last event.

            Only budgets are simulated: usage alone does not evaluate policies or quotas (they answer \
            POST /v1/check, and recorded usage holds no checks). Try a rule change on last month's traffic \
            before deploying it.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "The rules directory to simulate.")
    var rules: String

    @Option(help: "A file of usage events, each with a time: NDJSON (GET /v1/usage.ndjson) or a page of GET /v1/usage. Repeat for several files.")
    var events: [String]

    @Option(help: "text (audit rows, then budgets) or json (an array of the audit rows).")
    var format: Format = .text

    func validate() throws {
        if events.isEmpty { throw ValidationError("Missing expected argument '--events <events>'") }
    }

    func run() throws {
        let input: SimulationInput
        do {
            input = try SimulationLoader.load(rulesDirectory: rules, eventsFiles: events, zoneInfo: .fromEnvironment)
        } catch {
            for message in error.messages { printError(message) }
            throw ExitCode(1)
        }
        for warning in input.warnings { printError(warning) }
        let report = input.simulation.run(input.events)
        switch format {
        case .text: print(report.text)
        case .json: print(String(decoding: report.json, as: UTF8.self))
        }
    }
}
