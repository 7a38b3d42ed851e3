import Testing
import WardenCore
import WardenFormats

/// The web configuration file (`serve --web.config.file`), in the exporter toolkit's format.
@Suite struct WebConfigTests {
    private static let hash = "$2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG"

    private static func errors(_ text: String) -> [String] {
        do {
            _ = try WebConfig.parse(yaml: text, file: "/etc/tw/web.yml")
            return []
        } catch { return error.errors.map(\.description) }
    }

    @Test func anEmptyFileMeansPlainHTTPWithoutPasswords() throws {
        let config = try WebConfig.parse(yaml: "", file: "/etc/tw/web.yml")
        #expect(config == WebConfig())
    }

    @Test func theToolkitsSampleIsRead() throws {
        let config = try WebConfig.parse(yaml: """
            tls_server_config:
              cert_file: server.crt
              key_file: /secrets/server.key
            basic_auth_users:
              alice: \(Self.hash)
            """, file: "/etc/tw/web.yml")
        let tls = try #require(config.tls)
        #expect(tls.certificate.origin == .file(path: "/etc/tw/server.crt"))
        #expect(tls.key.origin == .file(path: "/secrets/server.key"))
        #expect(tls.clientCA == nil)
        #expect(tls.clientAuth == .noClientCert)
        #expect(tls.minVersion == .tls12)
        #expect(tls.maxVersion == .tls13)
        #expect(config.basicAuthUsers == [BasicAuthUser(name: "alice", bcryptHash: Self.hash)])
    }

    @Test func clientAuthenticationSettingsAreRead() throws {
        let config = try WebConfig.parse(yaml: """
            tls_server_config:
              cert: "-----BEGIN CERTIFICATE-----"
              key: "-----BEGIN PRIVATE KEY-----"
              client_ca_file: clients.pem
              client_auth_type: RequireAndVerifyClientCert
              min_version: TLS13
            """, file: "web.yml")
        let tls = try #require(config.tls)
        #expect(tls.certificate.origin == .inline("-----BEGIN CERTIFICATE-----"))
        #expect(tls.clientCA?.origin == .file(path: "clients.pem"))
        #expect(tls.clientAuth == .requireAndVerifyClientCert)
        #expect(tls.minVersion == .tls13)
    }

    @Test func settingsWithNoGnuTLSMeaningAreRejectedAtTheirPositionsSayingWhy() {
        let errors = Self.errors("""
            tls_server_config:
              cert_file: a.crt
              key_file: a.key
              cipher_suites: [TLS_AES_128_GCM_SHA256]
              curve_preferences: [X25519]
              prefer_server_cipher_suites: true
            http_server_config:
              http2: false
            """)
        #expect(errors.count == 4)
        #expect(errors[0].hasPrefix("/etc/tw/web.yml:4:3: tls_server_config.cipher_suites is not supported: GnuTLS"))
        #expect(errors[0].contains("Go's cipher-suite names"))
        #expect(errors[1].hasPrefix("/etc/tw/web.yml:5:3: tls_server_config.curve_preferences is not supported: GnuTLS"))
        #expect(errors[2].hasPrefix("/etc/tw/web.yml:6:3: tls_server_config.prefer_server_cipher_suites is not supported:"))
        #expect(errors[3].hasPrefix("/etc/tw/web.yml:7:1: http_server_config is not supported: TokenWarden serves HTTP/1.1"))
    }

    @Test func rateLimitAndClientSANsAreRejected() {
        let errors = Self.errors("""
            tls_server_config:
              cert_file: a.crt
              key_file: a.key
              client_ca_file: ca.crt
              client_auth_type: RequireAndVerifyClientCert
              client_allowed_sans: [prometheus]
            rate_limit: {interval: 1s, burst: 20}
            """)
        #expect(errors.map { $0.prefix(while: { $0 != " " }) } == ["/etc/tw/web.yml:6:3:", "/etc/tw/web.yml:7:1:"])
    }

    @Test func anUnknownKeyIsAnErrorAtItsPosition() {
        #expect(Self.errors("tls_server_config:\n  cert_file: a\n  key_file: b\n  certfile: c\n").first?
            .hasPrefix(#"/etc/tw/web.yml:4:3: unknown key "certfile" in tls_server_config (known keys: "#) == true)
    }

    @Test func aTLSSectionNeedsACertificateAndAKey() {
        #expect(Self.errors("tls_server_config:\n  min_version: TLS13\n") == [
            "/etc/tw/web.yml:2:3: tls_server_config needs cert_file (or cert): the server's certificate",
            "/etc/tw/web.yml:2:3: tls_server_config needs key_file (or key): the certificate's private key",
        ])
    }

    @Test func aCertificateGivenBothInlineAndAsAFileIsAnError() {
        #expect(Self.errors("tls_server_config:\n  cert: x\n  cert_file: a\n  key_file: b\n") == [
            "/etc/tw/web.yml:3:14: tls_server_config has both cert and cert_file; give one",
        ])
    }

    @Test func aClientCAWithoutAClientAuthTypeIsAnError() {
        let errors = Self.errors("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: ca.crt\n")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("/etc/tw/web.yml:4:19: tls_server_config names a client CA but client_auth_type is NoClientCert") == true)
    }

    @Test func verifyingClientCertificatesNeedsAClientCA() {
        let errors = Self.errors("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: VerifyClientCertIfGiven\n")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("/etc/tw/web.yml:4:21: tls_server_config.client_auth_type VerifyClientCertIfGiven verifies client certificates, which needs client_ca_file") == true)
    }

    @Test func anUnknownClientAuthTypeListsTheToolkitsValues() {
        #expect(Self.errors("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Verify\n") == [
            #"/etc/tw/web.yml:4:21: tls_server_config.client_auth_type must be NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert, not "Verify""#,
        ])
    }

    @Test func aMaximumVersionBelowTheMinimumIsAnError() {
        #expect(Self.errors("tls_server_config:\n  cert_file: a\n  key_file: b\n  max_version: TLS11\n") == [
            "/etc/tw/web.yml:4:16: tls_server_config.max_version TLS11 is below min_version TLS12",
        ])
    }

    @Test func aPasswordThatIsNotABcryptHashIsAnErrorAtItsPosition() {
        let errors = Self.errors("basic_auth_users:\n  alice: \(Self.hash)\n  bob: hunter2\n")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("/etc/tw/web.yml:3:8: basic_auth_users.bob must be a bcrypt hash") == true)
    }

    @Test func everyBcryptVariantLibcryptVerifiesIsAccepted() throws {
        for prefix in ["$2a$", "$2b$", "$2y$"] {
            let hash = prefix + Self.hash.dropFirst(4)
            let config = try WebConfig.parse(yaml: "basic_auth_users:\n  u: \(hash)\n", file: "w.yml")
            #expect(config.basicAuthUsers.first?.bcryptHash == hash)
        }
        #expect(Self.errors("basic_auth_users:\n  u: $2x$\(Self.hash.dropFirst(4))\n").count == 1)
        #expect(Self.errors("basic_auth_users:\n  u: $2y$03$\(Self.hash.dropFirst(7))\n").count == 1)
    }

    @Test func aUserNameWithAColonIsAnError() {
        #expect(Self.errors("basic_auth_users:\n  \"a:b\": \(Self.hash)\n") == [
            #"/etc/tw/web.yml:2:3: basic_auth_users: "a:b" cannot be a user name (it must be non-empty, without ':')"#,
        ])
    }
}
