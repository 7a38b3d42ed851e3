import WardenCore

/// Loads one pricing file from its bytes, in either of the two formats TokenWarden reads.
///
/// ## Formats
///
/// A file that is a JSON object whose values are objects with a `litellm_provider` field is a
/// **LiteLLM catalog** (`model_prices_and_context_window.json`) and is imported with
/// ``LiteLLMImporter``. Anything else is read as **TokenWarden's YAML format**:
///
/// ```yaml
/// currency: USD                    # optional; ISO 4217 code for every model below (default USD)
/// models:
///   - provider: openai             # required
///     model: gpt-4o                # required, as events name it
///     effective_from: 2024-08-06   # optional YYYY-MM-DD: in force from 00:00 UTC that day
///     currency: USD                # optional; overrides the file's currency
///     prices:                      # required, unless images or audio is given (a per-unit-only entry)
///       per: million               # required: million (per million tokens) or token
///       input: "2.50"              # required
///       output: "10.00"            # required
///       cache_read: "1.25"         # optional; default: the input price
///       cache_creation: "3.125"    # optional; default: the input price
///       reasoning: "10.00"         # optional; default: the output price
///       audio_input: "40.00"       # optional; uncached audio input tokens; default: the input price
///       audio_output: "80.00"      # optional; default: the output price
///     tiers:                       # optional
///       - above_input_tokens: 200000   # applies to the whole call when input > 200000 tokens
///         input: "5.00"                # any of the seven prices; a price left out keeps the
///         output: "15.00"              # base price; unit as in prices unless 'per' is given
///     images:                      # optional; per generated image, in currency units
///       - {size: 1024x1024, quality: hd, price: "0.08"}   # size and quality optional (any)
///     audio: {input_per_second: "0.006", output_per_second: "0.015"}   # optional; per second
/// aliases:                         # optional
///   - {alias: gpt-4o-latest, provider: openai, model: gpt-4o}
/// ```
///
/// - Prices are decimal text, quoted or not (`"2.50"`, `2.50`, `1.5e-7`); they are read from
///   their digits, never through a float. A price with more than 18 decimals per token is
///   rounded half to even to 10⁻¹⁸, with a warning. A negative price is an error.
/// - Several entries may price the same provider and model with different `effective_from`
///   dates: each event is priced by the version in force at its own time; an event before the
///   first version is unpriced. An entry without `effective_from` is in force from the start.
/// - Loading is strict: an unknown key, a value of the wrong type, a missing required key, a bad
///   date, a duplicate entry (same provider, model and `effective_from`), a duplicate tier or
///   alias is an error at its `file:line:column`. Every error of the file is reported at once.
/// - Across files, a later file's entry replaces an earlier one with the same provider, model
///   and `effective_from` (see ``PriceCatalog/init(files:)``).
///
/// How an event's provider and model find an entry is described at ``PriceCatalog``, and how a
/// call's cost is computed at ``ModelPrice``.
public enum PricingFileLoader {
    /// Reads a pricing file. `fileName` is only used in messages.
    public static func load(bytes: [UInt8], fileName: String) throws(PricingFileErrors) -> PricingFile {
        if startsWithBrace(bytes) {
            switch Result(catching: { () throws(JSONSyntaxError) in try LiteLLMImporter.parse(bytes) }) {
            case .success(let document) where isLiteLLMCatalog(document.root):
                let imported = try LiteLLMImporter.importCatalog(
                    root: document.root, lines: LineTable(bytes), fileName: fileName, options: .init())
                return liteLLMFile(imported, fileName: fileName)
            case .success:
                break  // JSON, but not a LiteLLM catalog: our format written as JSON (YAML reads it).
            case .failure(let error):
                if containsLiteLLMMarker(bytes) {
                    throw PricingFileErrors([PricingFileError(
                        LineTable(bytes).location(ofOffset: error.offset, file: fileName),
                        "invalid JSON in a LiteLLM catalog: \(error.message)")])
                }
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PricingFileErrors([.notUTF8(file: fileName)])
        }
        return try load(yaml: text, fileName: fileName)
    }

    /// Reads a pricing file given as text.
    public static func load(text: String, fileName: String) throws(PricingFileErrors) -> PricingFile {
        try load(bytes: Array(text.utf8), fileName: fileName)
    }

    private static func load(yaml text: String, fileName: String) throws(PricingFileErrors) -> PricingFile {
        var reader = PricingYAMLReader(fileName: fileName)
        reader.read(text)
        guard reader.errors.isEmpty else {
            throw PricingFileErrors(reader.errors)
        }
        return PricingFile(
            fileName: fileName, format: .tokenWarden, entries: reader.entries, aliases: reader.aliases,
            warnings: reader.warnings)
    }

    private static func liteLLMFile(_ imported: LiteLLMImporter.ImportedCatalog, fileName: String) -> PricingFile {
        let report = imported.report
        var warnings = report.roundings.map(\.warning)
        if !report.skipped.isEmpty {
            let reasons = report.skippedByReason.map { "\($0.count) \($0.reason)" }.joined(separator: ", ")
            warnings.append(ConfigWarning(
                file: fileName, line: 1, column: 1,
                message: "LiteLLM catalog: \(report.imported) entries imported, \(report.skipped.count) skipped (\(reasons)); "
                    + "run 'tokenwarden prices import litellm \(fileName)' for the list"))
        }
        return PricingFile(
            fileName: fileName, format: .liteLLM, entries: imported.entries, warnings: warnings, importReport: report)
    }

    private static func startsWithBrace(_ bytes: [UInt8]) -> Bool {
        var index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: "{")
    }

    static func isLiteLLMCatalog(_ root: JSONValue) -> Bool {
        guard root.kind == .object else { return false }
        return root.members.contains { $0.value["litellm_provider"] != nil }
    }

    private static func containsLiteLLMMarker(_ bytes: [UInt8]) -> Bool {
        let marker = Array("\"litellm_provider\"".utf8)
        guard bytes.count >= marker.count else { return false }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
            if bytes[start..<start + marker.count].elementsEqual(marker) { return true }
        }
        return false
    }
}
