import ArgumentParser
import Foundation
import WardenCore
import WardenRuntime

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Replay recorded usage against a rule set: which budget steps would have fired, and when.",
        discussion: """
            Reads the rules directory as serve does (rule files, tokenwarden.yaml, pricing/) and an NDJSON file \
            of usage events in the POST /v1/usage format, each with its time. Events are priced at their own \
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

    @Option(help: "Usage events, one JSON object per line, each with a time.")
    var events: String

    @Option(help: "text (audit rows, then budgets) or json (an array of the audit rows).")
    var format: Format = .text

    func run() throws {
        let input: SimulationInput
        do {
            input = try SimulationLoader.load(rulesDirectory: rules, eventsFile: events, zoneInfo: .fromEnvironment)
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
