import Testing
import WardenCore
import WardenFormats

/// The `http:` section of `tokenwarden.yaml`.
@Suite struct HTTPSettingsTests {
    private static func errors(_ text: String) -> [String] {
        do {
            _ = try DeploymentConfig.parse(yaml: text, file: "t.yaml")
            return []
        } catch { return error.errors.map(\.description) }
    }

    @Test func withoutAnHTTPSectionTheListenerDefaultsApply() throws {
        let http = try DeploymentConfig.parse(yaml: "", file: "t.yaml").http
        #expect(http.maxConnections == 1024)
        #expect(http.maxConnectionsPerClient == 64)
        #expect(http.idleTimeout.nanoseconds == 15_000_000_000)
        #expect(http.requestTimeout.nanoseconds == 30_000_000_000)
        #expect(http.maxHeaderBytes == 32 << 10)
    }

    @Test func everyHTTPSettingIsRead() throws {
        let http = try DeploymentConfig.parse(yaml: """
            http:
              max_connections: 4096
              max_connections_per_client: 0
              idle_timeout: 1m
              request_timeout: 10s
              max_header_bytes: 64KiB
            """, file: "t.yaml").http
        #expect(http.maxConnections == 4096)
        #expect(http.maxConnectionsPerClient == 0)
        #expect(http.idleTimeout.nanoseconds == 60_000_000_000)
        #expect(http.requestTimeout.nanoseconds == 10_000_000_000)
        #expect(http.maxHeaderBytes == 64 << 10)
    }

    @Test func theIdleTimeoutIsWholeSeconds() {
        #expect(Self.errors("http:\n  idle_timeout: 1500ms\n") == [#"t.yaml:2:17: http.idle_timeout must be whole seconds, not "1s500ms""#])
    }

    @Test func outOfRangeHTTPSettingsAreErrorsAtTheirPositions() {
        #expect(Self.errors("""
            http:
              max_connections: 0
              max_connections_per_client: -1
              request_timeout: 500ms
              max_header_bytes: 2MiB
            """) == [
            "t.yaml:2:20: http.max_connections must be at least 1, not 0",
            "t.yaml:3:31: http.max_connections_per_client must be at least 0, not -1",
            #"t.yaml:4:20: http.request_timeout must be a duration between 1s and 1h such as 30s, not "500ms""#,
            #"t.yaml:5:21: http.max_header_bytes must be a size between 8KiB and 1MiB such as 32KiB, not "2MiB""#,
        ])
    }

    @Test func anUnknownHTTPKeyIsAnError() {
        #expect(Self.errors("http:\n  max_conections: 5\n") == [
            #"t.yaml:2:3: unknown key "max_conections" in http (known keys: idle_timeout, max_connections, max_connections_per_client, max_header_bytes, request_timeout)"#,
        ])
    }
}
