import ArgumentParser
import Logging
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
            Recomputes every row's hash from the pruning point on and prints either \
            "audit chain OK: N rows verified (from row K)" or the first row that was altered, \
            removed or inserted. Exits 1 when the chain is broken, 2 when the database cannot be read.
            """
    )

    @Option(help: "The database file serve writes to.")
    var data: String = "./data/tokenwarden.sqlite"

    func run() throws {
        let logger = Logger(label: "tokenwarden.audit")
        let (message, status) = AuditLog.verifyDatabase(at: data, logger: logger)
        // The verdict (intact or the first problem) is the command's output; only "cannot read
        // the database" is a diagnostic for standard error.
        if status == 2 { printError(message) } else { print(message) }
        if status != 0 { throw ExitCode(status) }
    }
}
