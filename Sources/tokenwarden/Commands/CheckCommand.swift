import ArgumentParser
import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenHTTP
import WardenRuntime
import WardenStore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate files before deploying them.",
        subcommands: [CheckConfig.self, CheckRules.self]
    )
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate tokenwarden.yaml, the pricing files and the rule files of a rules directory.",
        discussion: """
            Prints every error as file:line:col: message and exits 1 if there is any. With --web.config.file, also \
            the web configuration and the certificate, key and client CA files it names.
            """
    )

    @Argument(help: "The rules directory.")
    var directory: String

    @Option(help: "An extra pricing file, as given to serve --pricing; repeatable.")
    var pricing: [String] = []

    @Option(name: .customLong("web.config.file"), help: "A web configuration file, as given to serve --web.config.file.")
    var webConfigFile: String?

    func run() throws {
        var failed = false
        var webSummary = ""
        if let webConfigFile {
            do {
                let loaded = try WebConfigFile.load(path: webConfigFile)
                try EdgeWebConfig.validate(loaded, logger: Logger(label: "tokenwarden.check", factory: { _ in SwiftLogNoOpLogHandler() }))
                webSummary = "; \(webConfigFile): \(loaded.tls == nil ? "plain HTTP" : "TLS"), "
                    + "\(loaded.config.basicAuthUsers.count) basic-auth user\(loaded.config.basicAuthUsers.count == 1 ? "" : "s")"
            } catch let error as ConfigErrors {
                for problem in error.errors { printError(problem.description) }
                failed = true
            } catch let error as ConfigurationLoadError {
                for message in error.messages { printError(message) }
                failed = true
            }
        }
        var loaded: LoadedConfiguration?
        do {
            loaded = try ConfigurationLoader.load(rulesDirectory: directory, extraPricingFiles: pricing)
        } catch {
            for message in error.messages { printError(message) }
            failed = true
        }
        // The rule files are checked even when the pricing files are wrong, so one run lists
        // everything; they need the attribution schema, so not when tokenwarden.yaml is wrong.
        let rules = RuleDirectory(path: directory, zoneInfo: .fromEnvironment)
        var ruleSet: RuleSet?
        if let schema = loaded?.deployment.schema ?? (try? DeploymentConfigFile.load(rulesDirectory: directory).schema) {
            do {
                ruleSet = try rules.load(schema: schema, currencies: loaded.map(\.catalog.currencies))
            } catch {
                for problem in error.errors { printError(problem.description) }
                failed = true
            }
        }
        guard !failed, let loaded, let ruleSet else { throw ExitCode(1) }
        for warning in loaded.warnings { printError(warning) }
        for warning in ruleSet.warnings { printError(warning.description) }
        let models = loaded.catalog.entries.count
        print("\(directory): OK (\(loaded.pricingFiles.count) pricing files, \(models) priced models, "
            + "\(loaded.deployment.schema.labelKeys.count) metric labels; \(ruleSet.summary))\(webSummary)")
    }
}

struct CheckRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Validate the rule files (budgets, quotas, policies) of a rules directory.",
        discussion: """
            Reads tokenwarden.yaml for the attribution labels, then every *.yaml and *.yml file in the directory \
            (not tokenwarden.yaml, not pricing/ or tests/). Prints every error as file:line:col: message and \
            exits 1 if there is any; warnings (file:line:col: warning: message) do not fail the check. Time zones are read from $TZDIR or /usr/share/zoneinfo. \
            A budget limit in a currency no pricing file prices in is an error (currencies are never converted).
            """
    )

    @Argument(help: "The rules directory.")
    var directory: String

    @Option(help: "An extra pricing file, as given to serve --pricing; repeatable.")
    var pricing: [String] = []

    func run() throws {
        let rules = RuleDirectory(path: directory, zoneInfo: .fromEnvironment)
        do {
            let deployment = try DeploymentConfigFile.load(rulesDirectory: directory, zoneInfo: .fromEnvironment)
            // The currencies of the pricing files that load; their own errors are check config's.
            let prices = PricingDirectory(rulesDirectory: directory).load(extraFiles: pricing)
            let ruleSet = try rules.load(schema: deployment.schema, currencies: prices.files.isEmpty ? nil : prices.catalog.currencies)
            for warning in ruleSet.warnings { printError(warning.description) }
            print("\(directory): OK (\(ruleSet.summary))")
        } catch {
            for problem in error.errors { printError(problem.description) }
            throw ExitCode(1)
        }
    }
}

extension RuleSet {
    /// `3 budgets, 2 quotas, 3 policies in 3 rule files`.
    var summary: String {
        func count(_ number: Int, _ singular: String, _ plural: String) -> String {
            "\(number) \(number == 1 ? singular : plural)"
        }
        return "\(count(budgets.count, "budget", "budgets")), \(count(quotas.count, "quota", "quotas")), "
            + "\(count(policies.count, "policy", "policies")) in \(count(files.count, "rule file", "rule files"))"
    }
}

extension ZoneInfoDirectory {
    /// `$TZDIR` when the operator sets it, else the system's database.
    static var fromEnvironment: ZoneInfoDirectory {
        if let root = ProcessInfo.processInfo.environment["TZDIR"], !root.isEmpty { return ZoneInfoDirectory(root: root) }
        return ZoneInfoDirectory()
    }
}

/// Diagnostics go to standard error so that standard output stays machine-readable.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
