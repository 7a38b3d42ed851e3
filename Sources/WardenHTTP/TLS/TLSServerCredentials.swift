import CGnuTLS

#if canImport(Glibc)
import Glibc
#endif

/// The server's certificate chain and private key, parsed by GnuTLS once and handed to every
/// handshake that uses them. Freed when the last connection that took them has closed (see
/// ``TLSSessionSettings``), so replacing them never pulls them from under a handshake.
final class TLSServerCredentials: @unchecked Sendable {
    // @unchecked: the identity is never written after init; GnuTLS only reads it, from any thread.
    let identity: UnsafeMutablePointer<warden_tls_identity>
    /// The leaf certificate's subject (RFC 4514), serial number (hex) and expiry, for the log.
    let subject: String
    let serial: String
    let expires: Int

    struct LoadError: Error {
        enum Part { case certificate, key, pair }
        var part: Part
        var message: String
    }

    init(certificatePEM: [UInt8], keyPEM: [UInt8]) throws(LoadError) {
        var loaded: UnsafeMutablePointer<warden_tls_identity>?
        var failedPart: Int32 = 0
        let status = certificatePEM.withUnsafeBufferPointer { certificate in
            keyPEM.withUnsafeBufferPointer { key in
                warden_tls_identity_load(certificate.baseAddress, UInt32(certificate.count), key.baseAddress, UInt32(key.count),
                                         &loaded, &failedPart)
            }
        }
        guard status == 0, let loaded else {
            let part: LoadError.Part
            switch UInt32(failedPart) {
            case WARDEN_TLS_PART_KEY.rawValue: part = .key
            case WARDEN_TLS_PART_PAIR.rawValue: part = .pair
            default: part = .certificate
            }
            throw LoadError(part: part, message: TLSMessages.gnuTLS(status))
        }
        identity = loaded
        var subject = [CChar](repeating: 0, count: 1024)
        var serial = [CChar](repeating: 0, count: 132)
        var expires = time_t(0)
        if warden_tls_identity_describe(loaded, &subject, subject.count, &serial, serial.count, &expires) == 0 {
            self.subject = TLSMessages.string(subject)
            self.serial = TLSMessages.string(serial)
            self.expires = Int(expires)
        } else {
            self.subject = "?"
            self.serial = "?"
            self.expires = 0
        }
    }

    deinit {
        warden_tls_identity_free(identity)
    }
}

/// GnuTLS's own words for its error codes, and C strings it wrote.
enum TLSMessages {
    /// The text of a NUL-terminated buffer.
    static func string(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func gnuTLS(_ code: Int32) -> String {
        guard let text = gnutls_strerror(code) else { return "GnuTLS error \(code)" }
        return String(cString: text)
    }
}
