/// Something in a file a user wrote that loads but deserves a second look, located to the
/// character: `file:line:col: warning: message`. Unlike a ``ConfigError`` it never stops a load.
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the warning concerns the whole file.
    public var line: Int
    /// 1-based, in Unicode scalars.
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): warning: \(message)" : "\(file): warning: \(message)"
    }
}
