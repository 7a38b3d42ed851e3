import ArgumentParser
import Logging
import WardenFormats
import WardenRuntime

struct PseudonymCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pseudonym",
        abstract: "Print the pseudonym a label's value is stored as (privacy.pseudonymise).",
        discussion: """
            Reads privacy: from <rules>/tokenwarden.yaml and the pseudonym key it names (default: <data>.privacy-key), \
            which must exist. For rule files and for finding a person's rows: the HTTP filters take raw values anyway.
            """
    )

    @Argument(help: "The attribution key, e.g. user.")
    var label: String

    @Argument(help: "The raw value, e.g. a user id.")
    var value: String

    @Option(help: "Directory with tokenwarden.yaml.")
    var rules: String = "./Rules"

    @Option(help: "The database file serve writes to (the default key file lies beside it).")
    var data: String = "./data/tokenwarden.sqlite"

    func run() throws {
        let deployment: DeploymentConfig
        do { deployment = try DeploymentConfigFile.load(rulesDirectory: rules) } catch {
            for problem in error.errors { printError(problem.description) }
            throw ExitCode(2)
        }
        let labels = deployment.privacy.pseudonymise
        guard labels.contains(label) else {
            let named = labels.isEmpty ? "privacy.pseudonymise names no label" : "privacy.pseudonymise names \(labels.joined(separator: ", "))"
            printError("\(label) is not pseudonymised: \(named) in \(DeploymentConfigFile.path(rulesDirectory: rules))")
            throw ExitCode(1)
        }
        do {
            let key = try WardenRuntime.pseudonymKey(deployment: deployment, dataPath: data, creating: false,
                                                     logger: Logger(label: "tokenwarden.pseudonym"))
            print(key.pseudonymisation(labels: labels).value(value, of: label))
        } catch {
            for message in error.messages { printError(message) }
            throw ExitCode(2)
        }
    }
}
