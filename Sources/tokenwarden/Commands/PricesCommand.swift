import ArgumentParser
import Foundation
import WardenCore
import WardenFormats
import WardenRuntime

/// `tokenwarden prices`: work with pricing files from the command line.
struct PricesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Import price catalogs and compute what a call costs.",
        subcommands: [PricesImportCommand.self, PricesCostCommand.self]
    )
}

struct PricesImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a price catalog to TokenWarden's pricing format.",
        subcommands: [PricesImportLiteLLMCommand.self]
    )
}

/// `tokenwarden prices import litellm FILE [--provider P]... [--out FILE]`
struct PricesImportLiteLLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "litellm",
        abstract: "Convert a LiteLLM model_prices_and_context_window.json to TokenWarden YAML.",
        discussion: """
            Imports the chat, completion and responses entries priced per token; entries that cannot be \
            priced exactly (off-peak or size-table pricing, per-request/second/character prices, unknown \
            price fields) are skipped and listed. The import report goes to standard error.

            With --out FILE, --diff compares the import with the prices FILE has in force on the import date \
            and prints one line per change (+ a new model, - a model the import no longer has, ~ a changed \
            price, per million tokens), exiting 3 when something changed and 0 when nothing did; --write \
            adds every new or changed model to FILE as a version with effective_from set to that date \
            (today, UTC, unless --effective-from is given), keeping the earlier versions and aliases.
            """
    )

    @Argument(help: "The LiteLLM catalog (JSON).")
    var file: String

    @Option(help: "Write the YAML here instead of standard output.")
    var out: String?

    @Option(
        name: .customLong("provider"),
        help: "Import only this litellm_provider; PROVIDER:PREFIX also requires the key to start with PREFIX. Repeatable.")
    var providers: [String] = []

    @Flag(help: "List every skipped entry with its reason in the report.")
    var listSkipped = false

    @Flag(help: "Print what the import changes in the --out file, one line per change; exit 3 when something changed.")
    var diff = false

    @Flag(help: "Add the changed prices to the --out file as a new version in force from the import date, keeping history.")
    var write = false

    @Option(help: "The date the written prices come into force (YYYY-MM-DD); default: today in UTC.")
    var effectiveFrom: String?

    func validate() throws {
        if diff || write {
            guard out != nil else { throw ValidationError("--diff and --write need --out FILE, the pricing file to compare with") }
        }
        if diff && write { throw ValidationError("--diff prints the changes without writing; use --write alone to write them") }
        if let effectiveFrom {
            guard write || diff else { throw ValidationError("--effective-from applies with --diff or --write") }
            guard PriceImportDiff.date(parsing: effectiveFrom) != nil else {
                throw ValidationError("--effective-from \(effectiveFrom): expected a date as YYYY-MM-DD")
            }
        }
        for provider in providers where LiteLLMImporter.ProviderFilter(parsing: provider) == nil {
            throw ValidationError("--provider \(provider): expected PROVIDER or PROVIDER:MODEL_PREFIX")
        }
    }

    /// The command as a reviewer would re-run it, for the generated file's header.
    var canonicalCommand: String {
        var words = ["tokenwarden", "prices", "import", "litellm", file]
        for provider in providers { words += ["--provider", provider] }
        if let out { words += ["--out", out] }
        if write { words.append("--write") }
        return words.joined(separator: " ")
    }

    func run() throws {
        let bytes: [UInt8]
        do { bytes = try ConfigFile.bytes(file) } catch { throw ValidationError(error.description) }
        let options = LiteLLMImporter.Options(providers: providers.compactMap(LiteLLMImporter.ProviderFilter.init(parsing:)))
        let result: LiteLLMImporter.ImportedCatalog
        do {
            result = try LiteLLMImporter.importCatalog(bytes: bytes, fileName: file, options: options)
        } catch {
            for problem in error.errors { writeToStandardError(problem.description) }
            throw ExitCode(1)
        }
        writeToStandardError(result.report.summary)
        if listSkipped {
            for skipped in result.report.skipped {
                writeToStandardError("\(skipped.location): skipped '\(skipped.model)': \(skipped.reason)")
            }
        }
        if diff || write, let out {
            try versioned(result, out: out)
            return
        }
        let yaml = PricingFileWriter.render(
            entries: result.entries,
            header: LiteLLMImporter.generatedFileHeader(command: canonicalCommand, report: result.report))
        if let out {
            do {
                try Data(yaml.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw ValidationError("cannot write \(out): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(yaml.utf8))
        }
    }
}

extension PricesImportLiteLLMCommand {
    /// The import date: `--effective-from`, or today in UTC.
    var importDate: CivilDate {
        if let effectiveFrom, let date = PriceImportDiff.date(parsing: effectiveFrom) { return date }
        let nanos = SystemClock().now().nanosecondsSinceEpoch
        let perDay: Int64 = 86_400 * 1_000_000_000
        return CivilDate(daysSinceEpoch: Int(nanos >= 0 ? nanos / perDay : (nanos + 1) / perDay - 1))
    }

    /// `--diff` and `--write`: compares with, and writes a new version into, the existing file.
    func versioned(_ result: LiteLLMImporter.ImportedCatalog, out: String) throws {
        var current = PricingFile(fileName: out, format: .tokenWarden, entries: [])
        if FileManager.default.fileExists(atPath: out) {
            let bytes: [UInt8]
            do { bytes = try ConfigFile.bytes(out) } catch { throw ValidationError(error.description) }
            do {
                current = try PricingFileLoader.load(bytes: bytes, fileName: out)
            } catch {
                for problem in error.errors { writeToStandardError(problem.description) }
                throw ExitCode(1)
            }
        }
        let comparison = PriceImportDiff(current: current.entries, imported: result.entries, on: importDate)
        let lines = comparison.changes.map(\.description)
        FileHandle.standardOutput.write(Data(lines.map { $0 + "\n" }.joined().utf8))
        if diff {
            if !comparison.changes.isEmpty { throw ExitCode(3) }
            return
        }
        guard !comparison.changes.isEmpty else { return }
        let yaml = PricingFileWriter.render(
            entries: comparison.mergedEntries, aliases: current.aliases,
            header: LiteLLMImporter.generatedFileHeader(command: canonicalCommand, report: result.report))
        do {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw ValidationError("cannot write \(out): \(error.localizedDescription)")
        }
    }
}

/// `tokenwarden prices cost --model M --input N --output N ...`
struct PricesCostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Print the exact cost of one call and its per-bucket breakdown.",
        discussion: """
            Loads <rules>/pricing/*.yaml (and *.yml, *.json) in name order, then each --pricing file; \
            later files override earlier ones. Token counts follow OpenTelemetry: --input counts all input \
            tokens (cache reads and writes included), --output all output tokens (reasoning included).
            """
    )

    @Option(help: "The model, as the event names it.")
    var model: String

    @Option(help: "The provider, as the event names it.")
    var provider: String = ""

    @Option(help: "Input tokens, cached ones included.")
    var input: Int64

    @Option(help: "Output tokens, reasoning ones included.")
    var output: Int64

    @Option(help: "Input tokens read from the prompt cache.")
    var cacheRead: Int64 = 0

    @Option(help: "Input tokens written to the prompt cache.")
    var cacheCreation: Int64 = 0

    @Option(help: "Output tokens spent on reasoning.")
    var reasoning: Int64 = 0

    @Option(help: "When the call happened (RFC 3339); default: now.")
    var at: String?

    @Option(help: "A pricing file loaded after the rules directory's (TokenWarden YAML or LiteLLM JSON); repeatable.")
    var pricing: [String] = []

    @Option(help: "Directory whose pricing/ holds the pricing files.")
    var rules: String = "./Rules"

    func validate() throws {
        guard input >= 0, output >= 0, cacheRead >= 0, cacheCreation >= 0, reasoning >= 0 else {
            throw ValidationError("token counts cannot be negative")
        }
        guard cacheRead + cacheCreation <= input else {
            throw ValidationError("--cache-read plus --cache-creation cannot exceed --input (input counts cached tokens too)")
        }
        guard reasoning <= output else {
            throw ValidationError("--reasoning cannot exceed --output (output counts reasoning tokens too)")
        }
        if let at {
            do { _ = try Timestamp(rfc3339: at) } catch { throw ValidationError("--at: \(error)") }
        }
    }

    func run() throws {
        let directory = PricingDirectory(rulesDirectory: rules)
        if !directory.exists && (rules != "./Rules" || pricing.isEmpty) {
            throw ValidationError("\(directory.path): no such directory (use --rules or --pricing)")
        }
        let loaded = directory.load(extraFiles: pricing)
        for problem in loaded.errors { writeToStandardError(problem) }
        if !loaded.errors.isEmpty { throw ExitCode(1) }
        for warning in loaded.warnings { writeToStandardError(warning) }
        let catalog = loaded.catalog
        let files = loaded.files

        let time = try at.map { try Timestamp(rfc3339: $0) } ?? Timestamp(
            nanosecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1e9).rounded()))
        guard let match = catalog.lookup(provider: provider, model: model, at: time) else {
            let who = provider.isEmpty ? model : "\(provider)/\(model)"
            writeToStandardError(
                "no price for \(who) at \(time.rfc3339) in \(files.count) pricing file(s); add it to a pricing file or alias it")
            throw ExitCode(1)
        }
        let usage = TokenUsage(
            input: input, output: output, cacheRead: cacheRead, cacheCreation: cacheCreation, reasoning: reasoning)
        print(Self.render(match: match, usage: usage))
    }

    static func render(match: PriceMatch, usage: TokenUsage) -> String {
        let entry = match.entry
        let breakdown = entry.price.breakdown(of: usage)
        var lines: [String] = []
        let since = entry.effectiveFrom.map { "in force since \(Self.date($0))" } ?? "no effective_from"
        let source = entry.source.map { "; \($0)" } ?? ""
        lines.append("\(entry.provider)/\(entry.model) (matched by \(match.rule); \(since)\(source))")
        if let tier = breakdown.appliedTier { lines.append("tier: above \(tier) input tokens") }
        let table = [["bucket", "tokens", "\(entry.currency) per 1M tokens", "cost"]]
            + breakdown.lines.map { bucket, line in
                [bucket, String(line.tokens), PriceUnit.million.text(forPerTokenPrice: line.pricePerToken) ?? "?",
                 line.cost.exactDecimal]
            }
        let widths = (0..<4).map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            let cells = row.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + padding : padding + text
            }
            lines.append(cells.joined(separator: "  "))
        }
        lines.append("total: \(breakdown.total.exactDecimal) \(entry.currency)")
        return lines.joined(separator: "\n")
    }

    private static func date(_ date: CivilDate) -> String {
        let text = [date.year, date.month, date.day].map { String($0) }
        return text[0] + "-" + (text[1].count < 2 ? "0" : "") + text[1] + "-" + (text[2].count < 2 ? "0" : "") + text[2]
    }
}

private func writeToStandardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
