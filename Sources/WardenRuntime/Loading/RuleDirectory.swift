import Crypto
import Foundation
import WardenCore
import WardenFormats
import WardenStore

/// The rule files of a rules directory, read from disk and parsed by ``RuleSetParser``.
///
/// Every `*.yaml` and `*.yml` directly in the directory is a rule file, except
/// `tokenwarden.yaml` (the deployment configuration) and hidden files; the `pricing/` and `tests/`
/// subdirectories are not read. Files load in name order, which is the order policies are
/// evaluated in.
public struct RuleDirectory: Sendable {
    public let path: String
    public let zoneInfo: ZoneInfoDirectory

    public init(path: String, zoneInfo: ZoneInfoDirectory = ZoneInfoDirectory()) {
        self.path = path
        self.zoneInfo = zoneInfo
    }

    /// The rule files, as paths (`<dir>/budgets.yaml`), sorted by file name.
    public func ruleFilePaths() throws(ConfigErrors) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigErrors([ConfigError(file: path, line: 0, column: 0, message: "rules directory does not exist")])
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ConfigErrors([ConfigError(file: path, line: 0, column: 0, message: "cannot list the rules directory: \(error.localizedDescription)")])
        }
        return names.filter(RuleSetParser.isRuleFileName).sorted().map { (path as NSString).appendingPathComponent($0) }
            .filter { candidate in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) && !isDirectory.boolValue
            }
    }

    /// Reads and validates every rule file; labels are checked against `schema` and time zones
    /// are read from ``zoneInfo``.
    ///
    /// - Throws: every error of every file (an unreadable file is one error; the others are
    ///   still checked).
    /// `currencies`: those the pricing files price in, when known; a budget in another is an error.
    public func load(schema: AttributionSchema, currencies: Set<String>? = nil) throws(ConfigErrors) -> RuleSet {
        try loadWithDigests(schema: schema, currencies: currencies).rules
    }

    /// The rules, and the SHA-256 (hex) of each file's text as it was parsed, by path: a reload
    /// compares them with the previous ones to record which files it changed.
    public struct Loaded: Sendable {
        public var rules: RuleSet
        public var digests: [String: String]
    }

    /// ``load(schema:)``, with the digest of every file read.
    public func loadWithDigests(schema: AttributionSchema, currencies: Set<String>? = nil) throws(ConfigErrors) -> Loaded {
        var files: [RuleSetParser.File] = []
        var unreadable: [ConfigError] = []
        for filePath in try ruleFilePaths() {
            do {
                files.append((filePath, try ConfigFile.text(filePath)))
            } catch {
                unreadable.append(error)
            }
        }
        let zoneInfo = self.zoneInfo
        let rules: RuleSet
        do {
            rules = try RuleSetParser.parse(files: files, schema: schema, currencies: currencies) { name in try zoneInfo.rules(forZone: name) }
        } catch {
            throw ConfigErrors(unreadable + error.errors)
        }
        if !unreadable.isEmpty { throw ConfigErrors(unreadable) }
        var digests: [String: String] = [:]
        for (path, text) in files {
            digests[path] = Self.digest(Array(text.utf8))
        }
        return Loaded(rules: rules, digests: digests)
    }

    /// SHA-256 of a file's bytes, hex: what a reload compares to name the files it changed.
    static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
