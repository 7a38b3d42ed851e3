import Foundation
import WardenCore
import WardenFormats

/// The pricing files of a rules directory, read from disk: every `*.yaml`, `*.yml` and `*.json`
/// in `<rules>/pricing/` in name order, then any extra files (`--pricing`) in the order given.
/// Later files override earlier ones (see ``PriceCatalog/init(files:)``). The one loader
/// `serve`, `check config`, `test rules`, `simulate` and `prices cost` share.
public struct PricingDirectory: Sendable {
    /// `<rules>/pricing`.
    public let path: String

    public init(rulesDirectory: String) {
        path = (rulesDirectory as NSString).appendingPathComponent("pricing")
    }

    /// What loading the files found.
    public struct Loaded: Sendable {
        /// The files that loaded, in load order.
        public var files: [PricingFile]
        public var catalog: PriceCatalog
        /// Each file's warnings, then the catalog's.
        public var warnings: [String]
        /// Every error of every file, as `file:line:col: message`; a file with errors is left out of ``files``.
        public var errors: [String]
        /// The SHA-256 (hex) of every file read, by path: a reload names the pricing files it changed.
        public var digests: [String: String] = [:]
    }

    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The directory's pricing files in name order (none when the directory does not exist).
    public func filePaths() -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .sorted().map { (path as NSString).appendingPathComponent($0) }
    }

    /// Loads the directory's files, then `extraFiles`; every file is read, whatever the others hold.
    public func load(extraFiles: [String] = []) -> Loaded {
        var files: [PricingFile] = []
        var warnings: [String] = []
        var errors: [String] = []
        var digests: [String: String] = [:]
        for path in filePaths() + extraFiles {
            let bytes: [UInt8]
            do { bytes = try ConfigFile.bytes(path) } catch {
                errors.append(error.description)
                continue
            }
            digests[path] = RuleDirectory.digest(bytes)
            do {
                let file = try PricingFileLoader.load(bytes: bytes, fileName: path)
                warnings += file.warnings.map(\.description)
                files.append(file)
            } catch {
                errors += error.errors.map(\.description)
            }
        }
        let catalog = PriceCatalog(files: files)
        warnings += catalog.warnings
        return Loaded(files: files, catalog: catalog, warnings: warnings, errors: errors, digests: digests)
    }
}
