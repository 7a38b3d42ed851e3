import WardenCore
import Yams

extension WebConfig {
    /// Reads a web configuration file strictly: an unknown key, a wrong value, or a setting of
    /// the format that has no meaning here is an error at its `file:line:col`, every one reported.
    /// An empty file is valid (plain HTTP, no passwords).
    public static func parse(yaml text: String, file: String) throws(ConfigErrors) -> WebConfig {
        let diagnostics = YAMLDiagnostics(file: file)
        var config = WebConfig()
        if let root = diagnostics.compose(text), let document = YAMLObject(root, path: "", diagnostics: diagnostics) {
            if let tls = document.object("tls_server_config") {
                config.tls = parseTLS(tls, directory: directory(of: file))
            }
            if let users = document.object("basic_auth_users") {
                config.basicAuthUsers = parseUsers(users)
            }
            document.rejectUnsupported("http_server_config", because: """
                TokenWarden serves HTTP/1.1 (no HTTP/2) and has no configurable response headers
                """)
            document.rejectUnsupported("rate_limit", because: """
                TokenWarden does not rate-limit all requests together; the http section of tokenwarden.yaml \
                bounds what one client may hold (max_connections_per_client, request_timeout)
                """)
            document.rejectUnknownKeys()
        }
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        return config
    }

    /// `tls_server_config`. A mapping with any key turns TLS on, so it needs a certificate and a
    /// key: a TLS section that quietly left the server on plain HTTP would be worse than an error.
    private static func parseTLS(_ object: YAMLObject, directory: String) -> TLSServerConfig? {
        let diagnostics = object.diagnostics
        let errorsBefore = diagnostics.count
        let certificate = pemSource(object, inline: "cert", file: "cert_file", directory: directory)
        let key = pemSource(object, inline: "key", file: "key_file", directory: directory)
        let clientCA = pemSource(object, inline: "client_ca", file: "client_ca_file", directory: directory)
        let clientAuth = object.choice("client_auth_type", as: ClientAuthType.self) ?? .noClientCert
        let minVersion = object.choice("min_version", as: TLSVersion.self) ?? .tls12
        let maxVersion = object.choice("max_version", as: TLSVersion.self) ?? .tls13
        let gnuTLS = "GnuTLS, which serves TokenWarden's TLS,"
        object.rejectUnsupported("cipher_suites", because: """
            \(gnuTLS) does not know Go's cipher-suite names; it negotiates its default suites for the TLS versions \
            min_version and max_version allow
            """)
        object.rejectUnsupported("curve_preferences", because: "\(gnuTLS) does not know Go's curve names; it offers its default groups")
        object.rejectUnsupported("prefer_server_cipher_suites", because: """
            it orders cipher_suites, which TokenWarden does not take (GnuTLS chooses the suite)
            """)
        object.rejectUnsupported("client_allowed_sans", because: """
            TokenWarden does not match client certificates' subject alternative names; issue the clients \
            allowed in from a CA of their own and name it in client_ca_file
            """)
        object.rejectUnknownKeys()

        if minVersion > maxVersion, let node = object.value("max_version") {
            diagnostics.error("\(object.child("max_version")) \(maxVersion.rawValue) is below min_version \(minVersion.rawValue)", at: node)
        }
        if clientCA != nil, clientAuth == .noClientCert {
            let at = object.value("client_ca_file") ?? object.value("client_ca")
            diagnostics.error("""
                \(object.path) names a client CA but client_auth_type is NoClientCert; set client_auth_type \
                (RequireAndVerifyClientCert to admit only clients with a certificate from that CA)
                """, at: at)
        }
        if clientCA == nil, clientAuth.verifiesCertificate {
            diagnostics.error("""
                \(object.child("client_auth_type")) \(clientAuth.rawValue) verifies client certificates, which needs \
                client_ca_file (or client_ca): the CA they must be signed by
                """, at: object.value("client_auth_type"))
        }
        if certificate == nil, object.value("cert") == nil, object.value("cert_file") == nil {
            diagnostics.error("\(object.path) needs cert_file (or cert): the server's certificate", at: object.node)
        }
        if key == nil, object.value("key") == nil, object.value("key_file") == nil {
            diagnostics.error("\(object.path) needs key_file (or key): the certificate's private key", at: object.node)
        }
        guard diagnostics.count == errorsBefore, let certificate, let key else { return nil }
        return TLSServerConfig(certificate: certificate, key: key, clientCA: clientCA, clientAuth: clientAuth,
                               minVersion: minVersion, maxVersion: maxVersion)
    }

    /// PEM text given inline (`cert`) or as a file (`cert_file`), not both.
    private static func pemSource(_ object: YAMLObject, inline: String, file: String, directory: String) -> PEMSource? {
        let text = object.string(inline)
        let path = object.string(file)
        func source(_ origin: PEMSource.Origin, _ key: String) -> PEMSource? {
            guard let node = object.value(key) else { return nil }
            return PEMSource(origin: origin, setting: object.child(key), configFile: object.diagnostics.file,
                             line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        }
        switch (text, path) {
        case (.some, .some):
            object.diagnostics.error("\(object.path) has both \(inline) and \(file); give one", at: object.value(file))
            return nil
        case (let text?, nil):
            guard !text.isEmpty else {
                object.diagnostics.error("\(object.child(inline)) must not be empty", at: object.value(inline))
                return nil
            }
            return source(.inline(text), inline)
        case (nil, let path?):
            guard !path.isEmpty else {
                object.diagnostics.error("\(object.child(file)) must not be empty", at: object.value(file))
                return nil
            }
            return source(.file(path: resolve(path, in: directory)), file)
        case (nil, nil):
            return nil
        }
    }

    /// `basic_auth_users`: user name → bcrypt hash.
    private static func parseUsers(_ object: YAMLObject) -> [BasicAuthUser] {
        var users: [BasicAuthUser] = []
        for (keyNode, _) in object.node.mapping ?? Node.Mapping([]) {
            guard let name = keyNode.string else { continue }  // reported by rejectUnknownKeys
            guard let hash = object.string(name), let node = object.value(name) else { continue }
            if name.isEmpty || name.contains(":") {
                object.diagnostics.error("basic_auth_users: \"\(name)\" cannot be a user name (it must be non-empty, without ':')", at: keyNode)
                continue
            }
            guard isBcryptHash(hash) else {
                object.diagnostics.error("""
                    \(object.child(name)) must be a bcrypt hash ($2a$, $2b$ or $2y$, a cost from 04 to 31 and 53 more \
                    characters), such as `htpasswd -nBC 10 "" | tr -d ':\\n'` prints
                    """, at: node)
                continue
            }
            users.append(BasicAuthUser(name: name, bcryptHash: hash))
        }
        object.rejectUnknownKeys()
        return users
    }

    /// `$2b$10$` followed by 53 characters of bcrypt's base64 alphabet (`./A-Za-z0-9`).
    static func isBcryptHash(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]), bytes[3] == UInt8(ascii: "$"),
              bytes[6] == UInt8(ascii: "$") else { return false }
        func digit(_ byte: UInt8) -> Int? { (48...57).contains(byte) ? Int(byte - 48) : nil }
        guard let tens = digit(bytes[4]), let ones = digit(bytes[5]), (4...31).contains(tens * 10 + ones) else { return false }
        return bytes[7...].allSatisfy { byte in
            byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || (48...57).contains(byte)
                || (65...90).contains(byte) || (97...122).contains(byte)
        }
    }

    /// The directory part of `file` (`.` when it has none).
    private static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    /// As the exporter toolkit does: relative paths are relative to the web configuration file.
    private static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") || directory == "." { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }
}
