import Foundation
import WardenCore
import WardenFormats
import WardenStore

/// A rule test file with everything it runs against: the rule files it names, and the
/// deployment settings and prices of their directory.
public struct LoadedRuleTest: Sendable {
    public var file: RuleTestFile
    public var runner: RuleTestRunner
}

/// Reads a rule test file (``RuleTestFile``) from disk with its rule files, `tokenwarden.yaml`
/// and `pricing/`, for `tokenwarden test rules`.
public enum RuleTestLoader {
    /// - Throws: every problem as `file:line:col: message` (or `file: message`).
    public static func load(testFile path: String, zoneInfo: ZoneInfoDirectory = ZoneInfoDirectory()) throws(ConfigurationLoadError) -> LoadedRuleTest {
        let text: String
        do { text = try ConfigFile.text(path) } catch { throw ConfigurationLoadError(messages: [error.description]) }
        let parser = RuleTestFileParser(file: path, text: text)
        let names: [String]
        do { names = try parser.ruleFiles() } catch { throw ConfigurationLoadError(messages: error.errors.map(\.description)) }

        let base = (path as NSString).deletingLastPathComponent
        let paths = names.map { name in
            ((name.hasPrefix("/") ? name : (base as NSString).appendingPathComponent(name)) as NSString).standardizingPath
        }
        let directories = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
        guard directories.count == 1, let directory = directories.first else {
            throw ConfigurationLoadError(messages: [
                "\(path): rule_files must all be in one directory (its tokenwarden.yaml and pricing/ are used); "
                    + "they are in \(directories.sorted().joined(separator: ", "))",
            ])
        }
        let configuration = try ConfigurationLoader.load(rulesDirectory: directory.isEmpty ? "." : directory)

        var files: [RuleSetParser.File] = []
        var messages: [String] = []
        for rulePath in paths {
            do { files.append((rulePath, try ConfigFile.text(rulePath))) } catch { messages.append(error.description) }
        }
        let schema = configuration.deployment.schema
        var rules: RuleSet?
        do {
            rules = try RuleSetParser.parse(files: files, schema: schema) { name in try zoneInfo.rules(forZone: name) }
        } catch {
            messages += error.errors.map(\.description)
        }
        var file: RuleTestFile?
        do { file = try parser.parse(schema: schema) } catch { messages += error.errors.map(\.description) }
        guard messages.isEmpty, let rules, let file else { throw ConfigurationLoadError(messages: messages) }

        let deployment = configuration.deployment
        let runner = RuleTestRunner(rules: rules, catalog: configuration.catalog, unknownModels: deployment.unknownModels,
                                    configuration: RuleEngine.Configuration(reservationTTL: deployment.reservationTTL.nanoseconds))
        return LoadedRuleTest(file: file, runner: runner)
    }
}
