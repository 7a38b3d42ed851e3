import ArgumentParser
import Foundation
import WardenServer

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate files before deploying them.",
        subcommands: [CheckConfig.self]
    )
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate tokenwarden.yaml and the pricing files of a rules directory.",
        discussion: "Prints every error as file:line:col: message and exits 1 if there is any."
    )

    @Argument(help: "The rules directory.")
    var directory: String

    @Option(help: "An extra pricing file, as given to serve --pricing; repeatable.")
    var pricing: [String] = []

    func run() throws {
        do {
            let loaded = try ConfigurationLoader.load(rulesDirectory: directory, extraPricingFiles: pricing)
            for warning in loaded.warnings { printError(warning) }
            let models = loaded.catalog.entries.count
            print("\(directory): OK (\(loaded.pricingFiles.count) pricing files, \(models) priced models, "
                + "\(loaded.deployment.schema.labelKeys.count) metric labels)")
        } catch {
            for message in error.messages { printError(message) }
            throw ExitCode(1)
        }
    }
}

/// Diagnostics go to standard error so that standard output stays machine-readable.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
