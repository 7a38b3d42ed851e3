import Foundation
import Testing
import WardenCore
import WardenFormats
import WardenRuntime

/// `reporting:` in `tokenwarden.yaml`, read with the system's zoneinfo as the server reads it.
@Suite struct ReportingSettingsTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-reporting-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func load(_ yaml: String) throws(ConfigErrors) -> DeploymentConfig {
        try! yaml.write(toFile: root + "/tokenwarden.yaml", atomically: true, encoding: .utf8)
        return try DeploymentConfigFile.load(rulesDirectory: root)
    }

    @Test func theDefaultIsUTCWithMondayWeeks() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try load("metrics:\n  series_limit: 100\n")
        #expect(config.reporting.timeZone.name == "UTC")
        #expect(config.reporting.weekStart == .monday)
    }

    @Test func theZoneAndWeekStartAreRead() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = try load("reporting:\n  timezone: Europe/Berlin\n  week_start: sunday\n")
        #expect(config.reporting.timeZone.name == "Europe/Berlin")
        #expect(config.reporting.weekStart == .sunday)
        // Midnight in Berlin in winter is 23:00 UTC.
        let day = config.reporting.windows(containing: try Timestamp(rfc3339: "2026-01-15T12:00:00Z")).day
        #expect(day.start == (try Timestamp(rfc3339: "2026-01-14T23:00:00Z")))
    }

    @Test func anUnknownZoneIsAnErrorAtItsPosition() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let error = #expect(throws: ConfigErrors.self) { try load("reporting:\n  timezone: Europe/Atlantis\n") }
        #expect(error?.errors.map(\.description) == [
            "\(root)/tokenwarden.yaml:2:13: reporting.timezone: unknown time zone \"Europe/Atlantis\" (no such zone in /usr/share/zoneinfo)",
        ])
    }

    @Test func aBadWeekStartIsAnErrorAtItsPosition() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let error = #expect(throws: ConfigErrors.self) { try load("reporting:\n  timezone: UTC\n  week_start: funday\n") }
        #expect(error?.errors.map(\.description) == [
            "\(root)/tokenwarden.yaml:3:15: reporting.week_start must be a day such as monday or sunday, not \"funday\"",
        ])
    }

    @Test func anUnknownKeyInReportingIsAnError() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let error = #expect(throws: ConfigErrors.self) { try load("reporting:\n  time_zone: UTC\n") }
        #expect(error?.errors.first?.line == 2)
        #expect(error?.errors.first?.message.contains("time_zone") == true)
    }
}
