import CGnuTLS
import Foundation

/// The CAs client certificates must be signed by (`client_ca_file`), as a GnuTLS trust list
/// TokenWarden holds itself, so a reload can replace it on a running server.
final class ClientCertificateTrust: @unchecked Sendable {
    // @unchecked: the list is never modified after init; verification only reads it.
    let list: gnutls_x509_trust_list_t
    /// How many CA certificates the file held.
    let count: Int

    init(pem: [UInt8]) throws(TLSServerCredentials.LoadError) {
        var list: gnutls_x509_trust_list_t?
        var count: UInt32 = 0
        let status = pem.withUnsafeBufferPointer { warden_tls_trust_load($0.baseAddress, UInt32($0.count), &list, &count) }
        guard status == 0, let list else {
            throw TLSServerCredentials.LoadError(part: .certificate, message: TLSMessages.gnuTLS(status))
        }
        self.list = list
        self.count = Int(count)
    }

    enum Verdict: Equatable {
        case verified
        case noCertificate
        /// GnuTLS's reason.
        case rejected(String)
    }

    /// Checks the chain the client sent in this handshake.
    func verifyClient(of session: gnutls_session_t) -> Verdict {
        var status: UInt32 = 0
        switch UInt32(warden_tls_verify_client(session, list, &status)) {
        case WARDEN_TLS_CLIENT_VERIFIED.rawValue:
            return .verified
        case WARDEN_TLS_CLIENT_NO_CERTIFICATE.rawValue:
            return .noCertificate
        default:
            var text = [CChar](repeating: 0, count: 512)
            warden_tls_status_text(status, &text, text.count)
            let reason = TLSMessages.string(text).trimmingCharacters(in: .whitespaces)
            return .rejected(reason.isEmpty ? "the certificate chain could not be read" : reason)
        }
    }

    deinit {
        warden_tls_trust_free(list)
    }
}
