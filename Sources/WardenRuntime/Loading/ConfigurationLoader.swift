import Foundation
import WardenCore
import WardenFormats

/// Everything `serve` and `check config` read from disk: `tokenwarden.yaml` and the pricing
/// files, validated together.
public struct LoadedConfiguration: Sendable {
    public var deployment: DeploymentConfig
    public var catalog: PriceCatalog
    /// The pricing files in load order (later files override earlier ones).
    public var pricingFiles: [PricingFile]
    public var warnings: [String]
    /// The SHA-256 of each pricing file read, by path (see ``PricingDirectory/Loaded/digests``).
    public var pricingDigests: [String: String] = [:]
}

/// Every problem found across the files, each as `file:line:col: message`.
public struct ConfigurationLoadError: Error, Sendable, CustomStringConvertible {
    public var messages: [String]
    public var description: String { messages.joined(separator: "\n") }

    public init(messages: [String]) {
        self.messages = messages
    }
}

public enum ConfigurationLoader {
    /// Reads `<rules>/tokenwarden.yaml` (optional, see ``DeploymentConfigFile``) and the pricing
    /// files (see ``PricingDirectory``); at least one pricing file must load.
    public static func load(rulesDirectory: String, extraPricingFiles: [String] = []) throws(ConfigurationLoadError) -> LoadedConfiguration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rulesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationLoadError(messages: ["\(rulesDirectory): rules directory does not exist"])
        }
        var messages: [String] = []
        var deployment = DeploymentConfig()
        do {
            deployment = try DeploymentConfigFile.load(rulesDirectory: rulesDirectory)
        } catch {
            messages += error.errors.map(\.description)
        }
        let pricingDirectory = PricingDirectory(rulesDirectory: rulesDirectory)
        let pricing = pricingDirectory.load(extraFiles: extraPricingFiles)
        messages += pricing.errors
        if pricing.files.isEmpty && messages.isEmpty {
            messages.append("\(pricingDirectory.path): no pricing files found (every event would be an unknown model)")
        }
        if !messages.isEmpty { throw ConfigurationLoadError(messages: messages) }
        return LoadedConfiguration(deployment: deployment, catalog: pricing.catalog, pricingFiles: pricing.files,
                                   warnings: pricing.warnings, pricingDigests: pricing.digests)
    }
}
