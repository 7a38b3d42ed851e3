import ArgumentParser

/// `tokenwarden-bench`: the performance report behind `make bench`.
///
/// `run` (the default) orchestrates everything and prints one table. The other subcommands are
/// the pieces it starts as child processes, so that each measurement owns its process: the bare
/// baseline server, and probes whose peak memory (VmHWM) must not include what an earlier
/// measurement allocated. They print one JSON line on stdout for `run` to read.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenwarden-bench",
        abstract: "Measures TokenWarden's ingest, /metrics rendering and restart recovery against same-run baselines.",
        subcommands: [
            RunCommand.self,
            BareServerCommand.self,
            RenderProbeCommand.self,
            GenerateDatabaseCommand.self,
            IngestStageProbeCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}
