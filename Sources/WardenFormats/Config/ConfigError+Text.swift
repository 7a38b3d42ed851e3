import WardenCore

extension ConfigError {
    /// A user-written file whose bytes are not UTF-8 text: what every reader says about it.
    public static func notUTF8(file: String) -> ConfigError {
        ConfigError(file: file, line: 0, column: 0, message: "not valid UTF-8 text")
    }
}
