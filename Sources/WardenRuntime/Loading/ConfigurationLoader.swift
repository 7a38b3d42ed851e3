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
}

/// Every problem found across the files, each as `file:line:col: message`.
public struct ConfigurationLoadError: Error, Sendable, CustomStringConvertible {
    public var messages: [String]
    public var description: String { messages.joined(separator: "\n") }
}

public enum ConfigurationLoader {
    /// Reads `<rules>/tokenwarden.yaml` (optional), every `*.yaml`, `*.yml` and `*.json` under
    /// `<rules>/pricing/` in name order, then `extraPricingFiles` in the order given.
    public static func load(rulesDirectory: String, extraPricingFiles: [String] = []) throws(ConfigurationLoadError) -> LoadedConfiguration {
        var messages: [String] = []
        var warnings: [String] = []
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: rulesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationLoadError(messages: ["\(rulesDirectory): rules directory does not exist"])
        }

        var deployment = DeploymentConfig()
        let configPath = (rulesDirectory as NSString).appendingPathComponent(DeploymentConfig.fileName)
        if fileManager.fileExists(atPath: configPath) {
            do {
                let text = try String(contentsOfFile: configPath, encoding: .utf8)
                deployment = try DeploymentConfig.parse(yaml: text, file: configPath)
            } catch let errors as ConfigErrors {
                messages += errors.errors.map(\.description)
            } catch {
                messages.append("\(configPath): cannot read: \(error.localizedDescription)")
            }
        }

        var pricingPaths: [String] = []
        let pricingDirectory = (rulesDirectory as NSString).appendingPathComponent("pricing")
        if let names = try? fileManager.contentsOfDirectory(atPath: pricingDirectory) {
            pricingPaths = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
                .sorted().map { (pricingDirectory as NSString).appendingPathComponent($0) }
        }
        pricingPaths += extraPricingFiles

        var files: [PricingFile] = []
        for path in pricingPaths {
            guard let data = fileManager.contents(atPath: path) else {
                messages.append("\(path): cannot read pricing file")
                continue
            }
            do {
                let file = try PricingFileLoader.load(bytes: [UInt8](data), fileName: path)
                warnings += file.warnings.map(\.description)
                files.append(file)
            } catch {
                messages += error.errors.map(\.description)
            }
        }
        if files.isEmpty && messages.isEmpty {
            messages.append("\(pricingDirectory): no pricing files found (every event would be an unknown model)")
        }
        if !messages.isEmpty { throw ConfigurationLoadError(messages: messages) }
        let catalog = PriceCatalog(files: files)
        warnings += catalog.warnings
        return LoadedConfiguration(deployment: deployment, catalog: catalog, pricingFiles: files, warnings: warnings)
    }
}
