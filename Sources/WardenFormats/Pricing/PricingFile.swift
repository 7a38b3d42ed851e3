import WardenCore

/// One loaded pricing file: its entries and aliases, and what its author should know.
public struct PricingFile: Sendable {
    public enum Format: String, Sendable, Hashable {
        /// TokenWarden's own YAML format (see ``PricingFileLoader``).
        case tokenWarden = "TokenWarden YAML"
        /// A LiteLLM JSON catalog, imported with ``LiteLLMImporter``.
        case liteLLM = "LiteLLM JSON"
    }

    public var fileName: String
    public var format: Format
    public var entries: [PriceEntry]
    public var aliases: [ModelAlias]
    /// Rounded prices and, for a LiteLLM catalog, a summary of the import.
    public var warnings: [ConfigWarning]
    /// The full import report, for a LiteLLM catalog.
    public var importReport: ImportReport?

    public init(
        fileName: String, format: Format, entries: [PriceEntry], aliases: [ModelAlias] = [],
        warnings: [ConfigWarning] = [], importReport: ImportReport? = nil
    ) {
        self.fileName = fileName
        self.format = format
        self.entries = entries
        self.aliases = aliases
        self.warnings = warnings
        self.importReport = importReport
    }
}

extension PriceCatalog {
    /// A catalog from loaded files, in order: an entry of a later file replaces an entry of an
    /// earlier file with the same provider, model and `effective_from`; an alias of a later file
    /// replaces an earlier alias of the same name.
    public init(files: [PricingFile]) {
        self.init(entries: files.flatMap(\.entries), aliases: files.flatMap(\.aliases))
    }
}
