import Foundation
import Testing
import WardenCore
import WardenFormats
import WardenRuntime

/// `tokenwarden.yaml` read from a rules directory, as every command reads it.
@Suite struct DeploymentConfigFileTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    @Test func theSettingsAreReadFromTheDirectory() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "metrics:\n  series_limit: 100\n".write(toFile: root + "/tokenwarden.yaml", atomically: true, encoding: .utf8)
        #expect(try DeploymentConfigFile.load(rulesDirectory: root).seriesLimit == 100)
    }

    @Test func aDirectoryWithoutTheFileHasTheDefaults() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try DeploymentConfigFile.load(rulesDirectory: root) == DeploymentConfig())
    }

    @Test func errorsNameTheFileLineAndColumn() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "metrics:\n  series_limt: 5\n".write(toFile: root + "/tokenwarden.yaml", atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigErrors.self) { try DeploymentConfigFile.load(rulesDirectory: root) }
        #expect(error?.errors.map { "\($0.file):\($0.line):\($0.column)" } == ["\(root)/tokenwarden.yaml:2:3"])
    }

    @Test func aFileThatIsNotUTF8IsOneErrorNamingIt() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data([0x6D, 0x3A, 0x20, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: root + "/tokenwarden.yaml"))
        let error = #expect(throws: ConfigErrors.self) { try DeploymentConfigFile.load(rulesDirectory: root) }
        #expect(error?.errors.map(\.description) == ["\(root)/tokenwarden.yaml: not valid UTF-8 text"])
    }
}
