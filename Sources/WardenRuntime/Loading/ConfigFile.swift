import Foundation
import WardenCore
import WardenFormats

/// Reading a file a user writes (`tokenwarden.yaml`, rule files, rule tests, pricing files) from
/// disk: one way for every kind, and one message for each way it fails.
public enum ConfigFile {
    public static func bytes(_ path: String) throws(ConfigError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: 0, column: 0, message: "cannot read file")
        }
        return [UInt8](data)
    }

    public static func text(_ path: String) throws(ConfigError) -> String {
        guard let text = String(validating: try bytes(path), as: UTF8.self) else { throw .notUTF8(file: path) }
        return text
    }
}
