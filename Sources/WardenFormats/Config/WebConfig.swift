import WardenCore

/// The web configuration file of `serve --web.config.file`, in the format of the Prometheus
/// exporter toolkit (so operators reuse what they have): TLS for every route, and the users
/// `/metrics` asks for with basic authentication.
///
/// ```yaml
/// tls_server_config:
///   cert_file: server.crt            # relative paths are relative to this file's directory
///   key_file: server.key
///   client_ca_file: clients-ca.crt   # with a client_auth_type that asks for certificates
///   client_auth_type: RequireAndVerifyClientCert
///   min_version: TLS12               # default TLS12; max_version default TLS13
/// basic_auth_users:
///   prometheus: $2y$10$...           # bcrypt hashes
/// ```
public struct WebConfig: Sendable, Equatable {
    /// Absent: plain HTTP.
    public var tls: TLSServerConfig?
    /// Empty: `/metrics` asks for no password.
    public var basicAuthUsers: [BasicAuthUser] = []

    public init(tls: TLSServerConfig? = nil, basicAuthUsers: [BasicAuthUser] = []) {
        self.tls = tls
        self.basicAuthUsers = basicAuthUsers
    }
}

/// One `basic_auth_users` entry: a user name and the bcrypt hash of its password.
public struct BasicAuthUser: Sendable, Equatable {
    public var name: String
    /// `$2a$`, `$2b$` or `$2y$`, cost and 53 characters of salt and hash: 60 in all.
    public var bcryptHash: String

    public init(name: String, bcryptHash: String) {
        self.name = name
        self.bcryptHash = bcryptHash
    }
}

/// `tls_server_config`: the server's certificate and key, and what it asks of clients'.
public struct TLSServerConfig: Sendable, Equatable {
    public var certificate: PEMSource
    public var key: PEMSource
    /// The CAs client certificates are verified against.
    public var clientCA: PEMSource?
    public var clientAuth: ClientAuthType = .noClientCert
    public var minVersion: TLSVersion = .tls12
    public var maxVersion: TLSVersion = .tls13

    public init(certificate: PEMSource, key: PEMSource, clientCA: PEMSource? = nil, clientAuth: ClientAuthType = .noClientCert,
                minVersion: TLSVersion = .tls12, maxVersion: TLSVersion = .tls13) {
        self.certificate = certificate
        self.key = key
        self.clientCA = clientCA
        self.clientAuth = clientAuth
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}

/// PEM text named in the web configuration: a file (read when the configuration is loaded and
/// at every reload) or the text itself (`cert`, `key`, `client_ca`), and where it was named.
public struct PEMSource: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        /// Already resolved against the web configuration file's directory.
        case file(path: String)
        case inline(String)
    }

    public var origin: Origin
    /// The setting that names it (`tls_server_config.cert_file`) and where, for messages.
    public var setting: String
    public var configFile: String
    public var line: Int
    public var column: Int

    public init(origin: Origin, setting: String, configFile: String, line: Int, column: Int) {
        self.origin = origin
        self.setting = setting
        self.configFile = configFile
        self.line = line
        self.column = column
    }

    /// A problem with this PEM text, at the setting that names it: `file:line:col: setting (path): message`.
    public func error(_ message: String) -> ConfigError {
        let named: String
        switch origin {
        case .file(let path): named = "\(setting) (\(path))"
        case .inline: named = setting
        }
        return ConfigError(file: configFile, line: line, column: column, message: "\(named): \(message)")
    }
}

/// `client_auth_type`: the exporter toolkit's names for Go's client-certificate policies.
public enum ClientAuthType: String, Sendable, CaseIterable {
    case noClientCert = "NoClientCert"
    case requestClientCert = "RequestClientCert"
    case requireAnyClientCert = "RequireAnyClientCert"
    case verifyClientCertIfGiven = "VerifyClientCertIfGiven"
    case requireAndVerifyClientCert = "RequireAndVerifyClientCert"

    /// Whether the handshake asks the client for a certificate.
    public var requestsCertificate: Bool { self != .noClientCert }
    /// Whether a client without a certificate is refused.
    public var requiresCertificate: Bool { self == .requireAnyClientCert || self == .requireAndVerifyClientCert }
    /// Whether a certificate the client sends must verify against the client CA.
    public var verifiesCertificate: Bool { self == .verifyClientCertIfGiven || self == .requireAndVerifyClientCert }
}

/// `min_version` and `max_version`.
public enum TLSVersion: String, Sendable, CaseIterable, Comparable {
    case tls10 = "TLS10"
    case tls11 = "TLS11"
    case tls12 = "TLS12"
    case tls13 = "TLS13"

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
