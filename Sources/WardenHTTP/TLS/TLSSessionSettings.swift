import CGnuTLS
import CMicroHTTPD
import Logging
import WardenCore
import WardenFormats
import WardenRuntime

/// What a TLS handshake uses: the certificate the server presents and what it asks of the
/// client's. A connection takes the settings in force when it opens and keeps them until it
/// closes, which also keeps the certificate alive for GnuTLS (it does not copy it).
public final class TLSSessionSettings: Sendable {
    let credentials: TLSServerCredentials
    let clientAuth: ClientAuthType
    let clientTrust: ClientCertificateTrust?
    let logger: Logger

    /// Parses the certificate, key and client CA with GnuTLS.
    ///
    /// - Throws: each problem at the setting that names the file, e.g.
    ///   `web.yml:3:14: tls_server_config.key_file (/etc/tw/server.key): does not belong to the certificate`.
    public init(_ material: TLSMaterial, logger: Logger) throws(ConfigErrors) {
        let settings = material.settings
        var errors: [ConfigError] = []
        var credentials: TLSServerCredentials?
        do {
            credentials = try TLSServerCredentials(certificatePEM: material.certificatePEM, keyPEM: material.keyPEM)
        } catch {
            switch error.part {
            case .certificate: errors.append(settings.certificate.error("not a usable PEM certificate chain: \(error.message)"))
            case .key: errors.append(settings.key.error("not a usable unencrypted PEM private key: \(error.message)"))
            case .pair: errors.append(settings.key.error("this private key does not belong to the certificate in \(settings.certificate.setting)"))
            }
        }
        var trust: ClientCertificateTrust?
        if let source = settings.clientCA, let pem = material.clientCAPEM {
            do {
                trust = try ClientCertificateTrust(pem: pem)
            } catch {
                errors.append(source.error("not a usable PEM CA certificate: \(error.message)"))
            }
        }
        guard errors.isEmpty, let credentials else { throw ConfigErrors(errors) }
        self.credentials = credentials
        self.clientAuth = settings.clientAuth
        self.clientTrust = trust
        self.logger = logger
    }

    /// What the log says about the certificate being served and the client policy.
    var summary: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "subject": "\(credentials.subject)",
            "serial": "\(credentials.serial)",
            "expires": "\(Timestamp(nanosecondsSinceEpoch: Int64(credentials.expires) * 1_000_000_000))",
            "client_auth_type": "\(clientAuth.rawValue)",
        ]
        if let clientTrust { metadata["client_cas"] = "\(clientTrust.count)" }
        return metadata
    }

    /// Sets up a connection's session before its handshake: whether to ask for a client
    /// certificate, and the check of the one it sends. Both happen inside the handshake, so a
    /// refused client never gets to send a request.
    func prepare(_ session: gnutls_session_t) {
        guard clientAuth.requestsCertificate else { return }
        gnutls_certificate_server_set_request(session, clientAuth.requiresCertificate ? GNUTLS_CERT_REQUIRE : GNUTLS_CERT_REQUEST)
        guard clientAuth.verifiesCertificate else { return }
        gnutls_session_set_verify_function(session, { session in
            guard let session, let settings = TLSSessionSettings.of(session) else { return -1 }
            return settings.verifyClient(session) ? 0 : -1
        })
    }

    /// Whether the handshake may go on with the certificate the client sent (or did not send).
    private func verifyClient(_ session: gnutls_session_t) -> Bool {
        guard let clientTrust else { return false }
        switch clientTrust.verifyClient(of: session) {
        case .verified:
            return true
        case .noCertificate:
            return !clientAuth.requiresCertificate
        case .rejected(let reason):
            // One client's business: debug, so a stream of bad handshakes cannot flood the log.
            logger.debug("TLS client certificate refused", metadata: ["reason": "\(reason)"])
            return false
        }
    }

    /// The settings of the connection a GnuTLS session belongs to (libmicrohttpd points each
    /// session at its connection).
    static func of(_ session: gnutls_session_t) -> TLSSessionSettings? {
        guard let connection = gnutls_session_get_ptr(session) else { return nil }
        return ClientConnection.of(OpaquePointer(connection))?.tls
    }

    /// The `gnutls_certificate_retrieve_function2` that hands each handshake its connection's
    /// certificate, as the untyped pointer libmicrohttpd's option takes.
    static var certificateCallback: UnsafeMutableRawPointer {
        typealias Retrieve = @convention(c) (
            gnutls_session_t?, UnsafePointer<gnutls_datum_t>?, Int32, UnsafePointer<gnutls_pk_algorithm_t>?, Int32,
            UnsafeMutablePointer<UnsafeMutablePointer<gnutls_pcert_st>?>?, UnsafeMutablePointer<UInt32>?,
            UnsafeMutablePointer<gnutls_privkey_t?>?
        ) -> Int32
        let callback: Retrieve = { session, _, _, _, _, chain, length, key in
            guard let session, let chain, let length, let key, let settings = TLSSessionSettings.of(session) else { return -1 }
            return warden_tls_identity_select(settings.credentials.identity, chain, length, key)
        }
        return unsafeBitCast(callback, to: UnsafeMutableRawPointer.self)
    }
}
