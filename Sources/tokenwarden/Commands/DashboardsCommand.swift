import ArgumentParser
import Foundation
import WardenFormats
import WardenRuntime

struct DashboardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboards",
        abstract: "Write the Grafana dashboards and Prometheus rule files for a deployment.",
        subcommands: [Render.self]
    )

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the Grafana dashboards and the Prometheus rule files with this deployment's currency and runbook links.",
            discussion: """
                Writes grafana/tokenwarden-{spend,budgets,operations}.json and prometheus/tokenwarden-{recording,alerts}.yml \
                under --out, as laid out in Dashboards/. Grafana takes no template variables in panel units, so the money \
                panels' unit is written in (the $currency variable still filters, and selects --currency first). With --rules, \
                the legends that list the attribution keys also list the attribution.extra_keys of <rules>/tokenwarden.yaml, \
                so the instances of a budget split per: an extra key read apart. With the defaults the files are exactly the \
                shipped Dashboards/ ones.
                """
        )

        @Option(help: "Directory to write into (created if missing; the five files in it are replaced).")
        var out: String

        @Option(help: ArgumentHelp(
            "Where the repository's docs/ are served; alert runbook links become <URL>/docs/runbooks.md#<alert>.",
            discussion: "Default: links relative to the repository (docs/runbooks.md#<alert>)."))
        var runbookBaseURL: String?

        @Option(help: "The currency code the money panels are labelled in (ISO 4217, e.g. EUR).")
        var currency: String = DashboardSettings.defaults.currency

        @Option(help: ArgumentHelp(
            "Directory with tokenwarden.yaml, read for attribution.extra_keys: budget legends list them after the standard keys.",
            discussion: "Default: none; the legends list the standard keys only."))
        var rules: String?

        func validate() throws {
            guard currency.count == 3, currency.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                throw ValidationError("--currency must be a three-letter currency code in capitals such as EUR, not \"\(currency)\"")
            }
            if let url = runbookBaseURL {
                let rest = url.hasPrefix("https://") ? url.dropFirst(8) : url.hasPrefix("http://") ? url.dropFirst(7) : nil
                guard let rest, !rest.isEmpty, !rest.hasPrefix("/"), !url.contains(where: \.isWhitespace) else {
                    throw ValidationError("--runbook-base-url must be an http:// or https:// URL with a host, not \"\(url)\"")
                }
            }
        }

        func run() throws {
            var settings = DashboardSettings(currency: currency, runbookBaseURL: runbookBaseURL ?? "")
            if let rules {
                // Named on purpose, so a missing file is a mistake rather than a deployment without extra keys.
                let path = DeploymentConfigFile.path(rulesDirectory: rules)
                guard FileManager.default.fileExists(atPath: path) else {
                    printError("\(path): no such file (--rules names the directory holding tokenwarden.yaml)")
                    throw ExitCode(2)
                }
                do { settings.extraKeys = try DeploymentConfigFile.load(rulesDirectory: rules).schema.extraKeys } catch {
                    for problem in error.errors { printError(problem.description) }
                    throw ExitCode(2)
                }
            }
            let root = URL(fileURLWithPath: out)
            do {
                for template in DashboardTemplate.all {
                    let file = root.appendingPathComponent(template.path)
                    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(template.rendered(settings).utf8).write(to: file, options: .atomic)
                }
            } catch {
                printError("\(out): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
    }
}
