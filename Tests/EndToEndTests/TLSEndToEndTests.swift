import Foundation
import TestSupport
import Testing

/// `serve --web.config.file`: TLS for every route (libmicrohttpd's GnuTLS), client certificates,
/// basic auth on `/metrics`, the certificate re-read on SIGHUP, with certificates made by
/// `openssl` for each test, curl and a real Prometheus as clients.
@Suite struct TLSEndToEndTests {
    /// bcrypt (cost 10, as `htpasswd -nBC 10` makes them) of "scrape-secret".
    static let prometheusHash = "$2b$10$50lTx3Xup4Wydkqni9n2XuMRLIOhlksXbmBSYN7v7lZ0YzXY..jQa"

    /// A daemon serving HTTPS with `web` (the web configuration's text) and the test's certificates.
    private struct Served {
        let fixture: RulesFixture
        let certificates: TestCertificates
        let warden: WardenProcess
        let webConfig: String

        var ca: [String] { ["--cacert", certificates.caCertificate] }

        func url(_ path: String) -> String { "\(warden.baseURL)\(path)" }

        func stop() async {
            await warden.stop()
            fixture.remove()
        }
    }

    /// `web` may name `{dir}`, the directory of the certificates.
    /// `prepare` runs on the fixture before the daemon starts (creating API keys).
    private static func serve(_ web: String = "", clientAuth: String? = nil,
                              prepare: (RulesFixture) throws -> Void = { _ in }) async throws -> Served {
        let fixture = try RulesFixture()
        try prepare(fixture)
        let certificates = try TestCertificates(in: fixture.directory)
        let webConfig = fixture.directory.appendingPathComponent("web.yml").path
        var text = """
            tls_server_config:
              cert_file: tls/server.crt
              key_file: tls/server.key

            """
        if let clientAuth {
            text += "  client_ca_file: tls/ca.crt\n  client_auth_type: \(clientAuth)\n"
        }
        try (text + web).write(toFile: webConfig, atomically: true, encoding: .utf8)
        let warden = try await WardenProcess(rules: fixture.rules, database: fixture.database,
                                             extraArguments: ["--web.config.file", webConfig], tls: true)
        return Served(fixture: fixture, certificates: certificates, warden: warden, webConfig: webConfig)
    }

    @Test func everyRouteIsServedOverHTTPSWithTheConfiguredCertificate() async throws {
        let served = try await Self.serve()
        let ready = try Curl.run(served.url("/-/ready"), served.ca)
        #expect(ready.status == 200, "\(ready.output)")
        let ingested = try Curl.run(served.url("/v1/usage"), served.ca + [
            "-H", "Content-Type: application/json", "--data", usageEvent("tls-1"),
        ])
        #expect(ingested.status == 200, "\(ingested.body)")
        let exported = try Curl.run(served.url("/v1/usage"), served.ca)
        #expect(exported.body.contains("tls-1"), "\(exported.body)")
        let certificate = try Tools.run("openssl", ["s_client", "-connect", "127.0.0.1:\(served.warden.port)", "-CAfile",
                                                    served.certificates.caCertificate, "-verify_return_error"])
        #expect(certificate.output.contains("Verify return code: 0 (ok)"), "\(certificate.output)")
        await served.stop()
    }

    @Test func plainHTTPGetsNoAnswerOnATLSListener() async throws {
        let served = try await Self.serve()
        let plain = try Curl.run("http://127.0.0.1:\(served.warden.port)/-/healthy")
        #expect(plain.exit != 0)
        #expect(plain.status == 0)
        // And the listener still serves TLS afterwards.
        #expect(try Curl.run(served.url("/-/healthy"), served.ca).status == 200)
        await served.stop()
    }

    @Test func metricsAsksForABasicAuthUserWhileHealthAndReadinessStayOpen() async throws {
        let served = try await Self.serve("basic_auth_users:\n  prometheus: \(Self.prometheusHash)\n")
        let anonymous = try Curl.run(served.url("/metrics"), served.ca)
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate") == #"Basic realm="tokenwarden""#)
        let wrong = try Curl.run(served.url("/metrics"), served.ca + ["-u", "prometheus:guess"])
        #expect(wrong.status == 401)
        let right = try Curl.run(served.url("/metrics"), served.ca + ["-u", "prometheus:scrape-secret"])
        #expect(right.status == 200)
        #expect(right.body.contains("tokenwarden_build_info"))
        #expect(try Curl.run(served.url("/-/healthy"), served.ca).status == 200)
        #expect(try Curl.run(served.url("/-/ready"), served.ca).status == 200)
        await served.stop()
    }

    /// A real Prometheus scraping the daemon over HTTPS, trusting the test CA, with `auth` lines.
    private static func scrape(_ served: Served, auth: [String]) async throws -> PrometheusServer {
        try await PrometheusServer(directory: served.fixture.directory, target: "127.0.0.1:\(served.warden.port)", scrapeSettings: [
            "scheme: https",
            "tls_config: {ca_file: \(served.certificates.caCertificate)}",
        ] + auth)
    }

    @Test func aRealPrometheusScrapesMetricsOverHTTPSWithBasicAuth() async throws {
        let served = try await Self.serve("basic_auth_users:\n  prometheus: \(Self.prometheusHash)\n")
        let prometheus = try await Self.scrape(served, auth: ["basic_auth: {username: prometheus, password: scrape-secret}"])
        let answer = try await prometheus.waitForData("tokenwarden_build_info")
        #expect(answer.series.first?.values.last == 1)
        let up = try await prometheus.query("up")
        #expect(up.series.first?.values.last == 1)
        prometheus.stop()
        await served.stop()
    }

    /// Keys made before the start: an unscoped `read` key (written to `prometheus.key` for a
    /// scrape's `credentials_file`), a scoped one, and an `ingest` one.
    private struct MetricsKeys {
        var read = "", scoped = "", ingest = ""
        var credentialsFile = ""
    }

    private static func serveWithKeys(users: Bool) async throws -> (Served, MetricsKeys) {
        var keys = MetricsKeys()
        let served = try await Self.serve(users ? "basic_auth_users:\n  prometheus: \(Self.prometheusHash)\n" : "") { fixture in
            keys.read = try AuthEndToEndTests.create("scraper", "read", fixture)
            keys.scoped = try AuthEndToEndTests.create("search-reader", "read", fixture, extra: ["--scope", "team=search"])
            keys.ingest = try AuthEndToEndTests.create("agents", "ingest", fixture)
            keys.credentialsFile = fixture.directory.appendingPathComponent("prometheus.key").path
            try keys.read.write(toFile: keys.credentialsFile, atomically: true, encoding: .utf8)
        }
        return (served, keys)
    }

    @Test func onceKeysApplyMetricsTakesAnUnscopedReadKeyOrABasicAuthUser() async throws {
        let (served, keys) = try await Self.serveWithKeys(users: true)
        func status(_ arguments: [String]) throws -> Int { try Curl.run(served.url("/metrics"), served.ca + arguments).status }
        #expect(try status(["-H", "Authorization: Bearer \(keys.read)"]) == 200)
        #expect(try status(["-u", "prometheus:scrape-secret"]) == 200, "a web configuration user")
        #expect(try status(["-u", "scraper:\(keys.read)"]) == 200, "a key's name and key, as a browser sends them")
        let scoped = try Curl.run(served.url("/metrics"), served.ca + ["-H", "Authorization: Bearer \(keys.scoped)"])
        #expect(scoped.status == 403, "\(scoped.body)")
        #expect(scoped.body.contains("scoped"), "\(scoped.body)")
        #expect(try status(["-H", "Authorization: Bearer \(keys.ingest)"]) == 403, "no read role")
        #expect(try status(["-u", "prometheus:guess"]) == 401, "a configured user's wrong password is not tried as a key")
        let anonymous = try Curl.run(served.url("/metrics"), served.ca)
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate") == #"Bearer realm="tokenwarden""#)
        // The API routes take keys only: the web configuration's users are for /metrics.
        #expect(try Curl.run(served.url("/v1/usage"), served.ca + ["-u", "prometheus:scrape-secret"]).status == 401)
        #expect(try Curl.run(served.url("/-/ready"), served.ca).status == 200)
        await served.stop()
    }

    @Test func onceKeysApplyWithoutBasicAuthUsersMetricsNeedsAReadKey() async throws {
        let (served, keys) = try await Self.serveWithKeys(users: false)
        #expect(try Curl.run(served.url("/metrics"), served.ca).status == 401)
        #expect(try Curl.run(served.url("/metrics"), served.ca + ["-H", "Authorization: Bearer \(keys.read)"]).status == 200)
        #expect(try Curl.run(served.url("/metrics"), served.ca + ["-H", "Authorization: Bearer \(keys.scoped)"]).status == 403)
        await served.stop()
    }

    @Test func aRealPrometheusScrapesMetricsOverHTTPSWithABearerKeyFromACredentialsFile() async throws {
        let (served, keys) = try await Self.serveWithKeys(users: true)
        let prometheus = try await Self.scrape(served, auth: ["authorization: {credentials_file: \(keys.credentialsFile)}"])
        let answer = try await prometheus.waitForData("tokenwarden_build_info")
        #expect(answer.series.first?.values.last == 1)
        #expect(try await prometheus.query("up").series.first?.values.last == 1)
        prometheus.stop()
        await served.stop()
    }

    @Test func aPrometheusScrapeWithoutTheUserIsRefused() async throws {
        let served = try await Self.serve("basic_auth_users:\n  prometheus: \(Self.prometheusHash)\n")
        let prometheus = try await Self.scrape(served, auth: [])
        let up = try await prometheus.waitForData("up")
        #expect(up.series.first?.values.last == 0)
        let targets = try await HTTP.get("\(prometheus.baseURL)/api/v1/targets")
        #expect(targets.text.contains("401"), "\(targets.text)")
        #expect(try await prometheus.query("tokenwarden_build_info").hasData == false)
        prometheus.stop()
        await served.stop()
    }

    @Test func aSIGHUPServesTheReplacedCertificateToNewConnections() async throws {
        let served = try await Self.serve()
        let before = try Self.servedSerial(served)
        #expect(before == (try served.certificates.serial(of: served.certificates.serverCertificate)))
        let rotated = try served.certificates.issueServerCertificate("rotated", subject: "/CN=rotated")
        // Replaced the way certificate managers do it: new files moved over the old ones.
        try Self.replace(served.certificates.serverCertificate, with: served.certificates.path("rotated.crt"))
        try Self.replace(served.certificates.serverKey, with: served.certificates.path("rotated.key"))
        #expect(try Self.servedSerial(served) == before, "the certificate changed before the SIGHUP")
        kill(served.warden.process.processIdentifier, SIGHUP)
        let switched = try await poll(for: .seconds(10), every: .milliseconds(100)) { try Self.servedSerial(served) == rotated }
        #expect(switched, "new connections still get \(before) after the SIGHUP; the log:\n\(served.warden.log)")
        #expect(try Curl.run(served.url("/-/healthy"), served.ca).status == 200)
        await served.stop()
    }

    @Test func aKeyThatDoesNotMatchAtSIGHUPKeepsTheCertificateInForce() async throws {
        let served = try await Self.serve()
        let before = try Self.servedSerial(served)
        try served.certificates.issueServerCertificate("rotated", subject: "/CN=rotated")
        try Self.replace(served.certificates.serverCertificate, with: served.certificates.path("rotated.crt"))
        kill(served.warden.process.processIdentifier, SIGHUP)
        let refused = try await poll(for: .seconds(10)) { served.warden.log.contains("web configuration not reloaded") }
        #expect(refused, "\(served.warden.log)")
        #expect(served.warden.log.contains("web.yml:3:13: tls_server_config.key_file"), "\(served.warden.log)")
        #expect(try Self.servedSerial(served) == before)
        #expect(try Curl.run(served.url("/-/healthy"), served.ca).status == 200)
        await served.stop()
    }

    @Test func requireAndVerifyClientCertRefusesAClientWithoutACertificate() async throws {
        let served = try await Self.serve(clientAuth: "RequireAndVerifyClientCert")
        let anonymous = try Curl.run(served.url("/-/healthy"), served.ca)
        #expect(anonymous.status == 0, "a client without a certificate got HTTP \(anonymous.status)")
        #expect(anonymous.exit != 0)
        await served.stop()
    }

    @Test func requireAndVerifyClientCertAcceptsACertificateSignedByTheClientCA() async throws {
        let served = try await Self.serve(clientAuth: "RequireAndVerifyClientCert")
        let certificates = served.certificates
        let known = try Curl.run(served.url("/-/healthy"), served.ca + ["--cert", certificates.clientCertificate, "--key", certificates.clientKey])
        #expect(known.status == 200, "\(known.output)")
        await served.stop()
    }

    @Test func requireAndVerifyClientCertRefusesACertificateFromAnotherCA() async throws {
        let served = try await Self.serve(clientAuth: "RequireAndVerifyClientCert")
        let certificates = served.certificates
        let stranger = try Curl.run(served.url("/-/healthy"),
                                    served.ca + ["--cert", certificates.strangerCertificate, "--key", certificates.strangerKey])
        #expect(stranger.status == 0, "a certificate from another CA got HTTP \(stranger.status)")
        await served.stop()
    }

    @Test func verifyClientCertIfGivenAdmitsAClientWithoutACertificateButNotAStranger() async throws {
        let served = try await Self.serve(clientAuth: "VerifyClientCertIfGiven")
        let certificates = served.certificates
        #expect(try Curl.run(served.url("/-/healthy"), served.ca).status == 200)
        #expect(try Curl.run(served.url("/-/healthy"),
                             served.ca + ["--cert", certificates.strangerCertificate, "--key", certificates.strangerKey]).status == 0)
        await served.stop()
    }

    @Test func anUnsupportedWebConfigSettingStopsTheStartAtItsPosition() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let webConfig = fixture.directory.appendingPathComponent("web.yml").path
        try "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n"
            .write(toFile: webConfig, atomically: true, encoding: .utf8)
        let result = try Tools.run(executable: WardenProcess.binaryPath, [
            "serve", "--listen", "127.0.0.1:0", "--rules", fixture.rules, "--data", fixture.database, "--web.config.file", webConfig,
        ])
        #expect(result.status == 78)
        #expect(result.output.contains("\(webConfig):4:3: tls_server_config.cipher_suites is not supported"), "\(result.output)")
    }

    @Test func checkConfigValidatesTheWebConfigAndTheFilesItNames() async throws {
        let fixture = try RulesFixture()
        defer { fixture.remove() }
        let certificates = try TestCertificates(in: fixture.directory)
        let webConfig = fixture.directory.appendingPathComponent("web.yml").path
        // The client's key with the server's certificate.
        try "tls_server_config:\n  cert_file: tls/server.crt\n  key_file: tls/client.key\n"
            .write(toFile: webConfig, atomically: true, encoding: .utf8)
        let mismatched = try Tools.run(executable: WardenProcess.binaryPath, ["check", "config", fixture.rules, "--web.config.file", webConfig])
        #expect(mismatched.status == 1)
        #expect(mismatched.output.contains("\(webConfig):3:13: tls_server_config.key_file (\(certificates.clientKey)): this private key does not belong"),
                "\(mismatched.output)")
        try "tls_server_config:\n  cert_file: tls/server.crt\n  key_file: tls/server.key\n"
            .write(toFile: webConfig, atomically: true, encoding: .utf8)
        let good = try Tools.run(executable: WardenProcess.binaryPath, ["check", "config", fixture.rules, "--web.config.file", webConfig])
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("TLS"))
    }

    /// The serial number of the certificate a new TLS connection is served, as openssl prints it.
    private static func servedSerial(_ served: Served) throws -> String {
        let shown = try Tools.run("sh", ["-c", "openssl s_client -connect 127.0.0.1:\(served.warden.port) </dev/null 2>/dev/null | openssl x509 -noout -serial"])
        return shown.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func replace(_ path: String, with source: String) throws {
        let staged = path + ".new"
        try? FileManager.default.removeItem(atPath: staged)
        try FileManager.default.copyItem(atPath: source, toPath: staged)
        guard rename(staged, path) == 0 else { throw TestFailure("rename \(staged) failed: errno \(errno)") }
    }
}
