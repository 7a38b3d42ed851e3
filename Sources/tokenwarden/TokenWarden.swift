import ArgumentParser
import WardenRuntime

/// The `tokenwarden` executable: argument parsing and wiring only; the work lives in the modules.
@main
struct TokenWarden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenwarden",
        abstract: "Meters, prices and governs LLM usage; exposes it to Prometheus.",
        version: WardenVersion.current,
        subcommands: [ServeCommand.self, PricesCommand.self, CheckCommand.self, TestCommand.self, SimulateCommand.self,
                      AuditCommand.self, KeysCommand.self, PseudonymCommand.self, OverridesCommand.self, ApprovalsCommand.self,
                      DashboardsCommand.self]
    )
}
