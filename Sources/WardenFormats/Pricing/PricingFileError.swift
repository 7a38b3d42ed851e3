import WardenCore

/// A problem that makes a pricing file unusable, at the place it was found: the same
/// `file:line:col: message` error every user-written file reports (see ``ConfigError``).
public typealias PricingFileError = ConfigError

/// Every error found in one pricing file: loading reports them all, not just the first.
public typealias PricingFileErrors = ConfigErrors

extension ConfigError {
    init(_ location: PricingFileLocation, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, message: message)
    }
}

extension ConfigWarning {
    /// A pricing file's warnings (a price rounded to 10⁻¹⁸, catalog entries skipped by an
    /// import) are the same `file:line:col: warning: message` every user-written file reports.
    init(_ location: PricingFileLocation, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, message: message)
    }
}
