import ArgumentParser
import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenRuntime
import WardenStore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the audit log.",
        subcommands: [AuditVerify.self]
    )
}

struct AuditVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the audit log's hash chain.",
        discussion: """
            Recomputes every row's hash from the pruning point on (keyed rows with the audit key) and \
            prints either "audit chain OK: N rows verified (from row K), M keyed" or the first row that \
            was altered, removed, inserted or rewritten unkeyed, a truncated tail, rows deleted without a \
            recorded pruning, an altered anchor, or that the key does not match. With --expect-head, the \
            chain must still hold that row with that hash: pass the latest head TokenWarden logged \
            ("audit chain head" lines, head=SEQ:HASH). Exits 1 when the chain is broken or the key does not \
            match, 2 when the database or the key cannot be read.
            """
    )

    @Option(help: "The database file serve writes to.")
    var data: String = "./data/tokenwarden.sqlite"

    @Option(help: "The audit key file (default: audit.key_file in <rules>/tokenwarden.yaml, else <data>.audit-key).")
    var key: String?

    @Option(help: "Directory with tokenwarden.yaml, read for audit.key_file.")
    var rules: String = "./Rules"

    @Option(help: "A head TokenWarden published (SEQ:HASH): the chain must still hold that row with that hash.")
    var expectHead: AuditHead?

    func run() throws {
        let logger = Logger(label: "tokenwarden.audit")
        var keyPath = key ?? AuditKey.defaultPath(forDatabase: data)
        if key == nil {
            do {
                if let configured = try configuredKeyFile() { keyPath = configured }
            } catch {
                for problem in error.errors { printError(problem.description) }
                throw ExitCode(2)
            }
        }
        let (message, status) = AuditLog.verifyDatabase(at: data, keyPath: keyPath, keyRequired: key != nil,
                                                        expectedHead: expectHead, logger: logger)
        // The verdict (intact or the first problem) is the command's output; only "cannot read
        // the database or the key" is a diagnostic for standard error.
        if status == 2 { printError(message) } else { print(message) }
        if status != 0 { throw ExitCode(status) }
    }

    /// `audit.key_file` from `<rules>/tokenwarden.yaml`, as serve reads it; `nil` when the file
    /// does not set it (or the default rules directory does not exist).
    private func configuredKeyFile() throws(ConfigErrors) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rules, isDirectory: &isDirectory), isDirectory.boolValue else {
            if rules == "./Rules" { return nil }
            throw ConfigErrors([ConfigError(file: rules, line: 0, column: 0, message: "rules directory does not exist")])
        }
        return try DeploymentConfigFile.load(rulesDirectory: rules).auditKeyFile
    }
}

extension AuditHead: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
