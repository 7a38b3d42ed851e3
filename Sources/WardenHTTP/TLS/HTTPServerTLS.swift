import CGnuTLS
import Synchronization
import WardenFormats

/// TLS for an ``HTTPServer`` (libmicrohttpd's own TLS, over GnuTLS): the protocol versions,
/// fixed while the server runs, and the ``TLSSessionSettings`` new connections use, which
/// ``replace(with:)`` swaps (a SIGHUP re-reads the certificate this way). Connections already
/// open keep the settings they started with.
public final class HTTPServerTLS: Sendable {
    /// GnuTLS's defaults restricted to the allowed versions, e.g. `NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2`.
    let priorities: String
    let minVersion: TLSVersion
    let maxVersion: TLSVersion
    private let current: Mutex<TLSSessionSettings>

    public init(settings: TLSSessionSettings, minVersion: TLSVersion, maxVersion: TLSVersion) {
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        priorities = Self.priorities(from: minVersion, to: maxVersion)
        current = Mutex(settings)
    }

    /// The settings a connection opening now gets.
    public var settings: TLSSessionSettings { current.withLock { $0 } }

    /// New connections use `settings` from now on.
    public func replace(with settings: TLSSessionSettings) {
        current.withLock { $0 = settings }
    }

    static func priorities(from minVersion: TLSVersion, to maxVersion: TLSVersion) -> String {
        let names: [TLSVersion: String] = [.tls10: "VERS-TLS1.0", .tls11: "VERS-TLS1.1", .tls12: "VERS-TLS1.2", .tls13: "VERS-TLS1.3"]
        let allowed = TLSVersion.allCases.filter { $0 >= minVersion && $0 <= maxVersion }.reversed()
        return "NORMAL:-VERS-ALL" + allowed.map { ":+" + (names[$0] ?? "") }.joined()
    }

    /// nil when GnuTLS takes the priority string, else its reason.
    var prioritiesProblem: String? {
        let status = warden_tls_check_priorities(priorities)
        return status == 0 ? nil : TLSMessages.gnuTLS(status)
    }
}
