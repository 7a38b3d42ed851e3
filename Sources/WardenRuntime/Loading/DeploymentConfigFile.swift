import Foundation
import WardenCore
import WardenFormats

/// `<rules>/tokenwarden.yaml` (``DeploymentConfig``) read from disk: the one reader `serve`,
/// `check`, `test rules`, `simulate` and `audit verify` share.
public enum DeploymentConfigFile {
    /// Where a rules directory keeps its deployment settings.
    public static func path(rulesDirectory: String) -> String {
        (rulesDirectory as NSString).appendingPathComponent(DeploymentConfig.fileName)
    }

    /// The settings of `rulesDirectory`, or the defaults when it has no `tokenwarden.yaml`.
    ///
    /// - Throws: every error of the file as `file:line:col: message`, or that it cannot be read.
    /// `reporting.timezone` is read from `zoneInfo`.
    public static func load(rulesDirectory: String, zoneInfo: ZoneInfoDirectory = ZoneInfoDirectory()) throws(ConfigErrors) -> DeploymentConfig {
        let path = path(rulesDirectory: rulesDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return DeploymentConfig() }
        let text: String
        do { text = try ConfigFile.text(path) } catch { throw ConfigErrors([error]) }
        return try DeploymentConfig.parse(yaml: text, file: path) { name in try zoneInfo.rules(forZone: name) }
    }
}
