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

/// Something a pricing file does that is allowed but worth telling its author: a price rounded
/// to 10⁻¹⁸, catalog entries skipped by an import.
public struct PricingFileWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    init(_ location: PricingFileLocation, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, message: message)
    }

    public var description: String { "\(file):\(line):\(column): warning: \(message)" }
}
