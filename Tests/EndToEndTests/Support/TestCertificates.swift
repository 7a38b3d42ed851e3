import Foundation

/// Certificates made with `openssl` for one test: a CA, a server certificate for 127.0.0.1
/// signed by it, a client certificate signed by it, and a client certificate from another CA.
/// EC P-256 keys, which openssl makes in milliseconds.
struct TestCertificates {
    let directory: URL

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    var caCertificate: String { path("ca.crt") }
    var serverCertificate: String { path("server.crt") }
    var serverKey: String { path("server.key") }
    var clientCertificate: String { path("client.crt") }
    var clientKey: String { path("client.key") }
    var strangerCertificate: String { path("stranger.crt") }
    var strangerKey: String { path("stranger.key") }

    init(in directory: URL) throws {
        self.directory = directory.appendingPathComponent("tls")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        try selfSigned("ca", subject: "/CN=TokenWarden Test CA")
        try selfSigned("stranger-ca", subject: "/CN=Another CA")
        try issue("server", subject: "/CN=tokenwarden-test", by: "ca",
                  extensions: "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try issue("client", subject: "/CN=prometheus", by: "ca", extensions: "extendedKeyUsage=clientAuth\n")
        try issue("stranger", subject: "/CN=stranger", by: "stranger-ca", extensions: "extendedKeyUsage=clientAuth\n")
    }

    /// A new server certificate and key for 127.0.0.1, signed by the CA, written as `name.crt`
    /// and `name.key`; returns its serial number as openssl prints it (`serial=1A2B...`).
    @discardableResult
    func issueServerCertificate(_ name: String, subject: String) throws -> String {
        try issue(name, subject: subject, by: "ca", extensions: "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        return try serial(of: path("\(name).crt"))
    }

    func serial(of certificate: String) throws -> String {
        try openssl(["x509", "-in", certificate, "-noout", "-serial"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func selfSigned(_ name: String, subject: String) throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).crt"), "-days", "2", "-subj", subject])
    }

    private func issue(_ name: String, subject: String, by issuer: String, extensions: String) throws {
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", subject])
        try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(issuer).crt"), "-CAkey", path("\(issuer).key"),
                     "-set_serial", "0x" + String(UInt64.random(in: 1...UInt64(Int64.max)), radix: 16),
                     "-out", path("\(name).crt"), "-days", "2", "-extfile", path("\(name).ext")])
    }

    @discardableResult
    private func openssl(_ arguments: [String]) throws -> String {
        let result = try Tools.run("openssl", arguments)
        guard result.status == 0 else { throw TestFailure("openssl \(arguments.joined(separator: " ")) failed:\n\(result.output)") }
        return result.output
    }
}
