import Foundation
import WardenCore
import WardenFormats

/// The web configuration file (``WebConfig``) of `serve --web.config.file`, with the PEM files it
/// names read as well: what `serve` starts with, what a SIGHUP re-reads, and what
/// `check config --web.config.file` validates.
public struct LoadedWebConfig: Sendable {
    public var path: String
    public var config: WebConfig
    /// The TLS settings and the PEM text they name, when the file configures TLS.
    public var tls: TLSMaterial?
}

/// ``TLSServerConfig`` with the text of its certificate, key and client CA.
public struct TLSMaterial: Sendable {
    public var settings: TLSServerConfig
    public var certificatePEM: [UInt8]
    public var keyPEM: [UInt8]
    public var clientCAPEM: [UInt8]?
}

public enum WebConfigFile {
    /// Reads and validates the file and reads the PEM files it names.
    ///
    /// - Throws: every error as `file:line:col: message`; a PEM file that cannot be read is
    ///   reported at the setting that names it.
    public static func load(path: String) throws(ConfigErrors) -> LoadedWebConfig {
        let text: String
        do { text = try ConfigFile.text(path) } catch { throw ConfigErrors([error]) }
        let config = try WebConfig.parse(yaml: text, file: path)
        guard let settings = config.tls else { return LoadedWebConfig(path: path, config: config, tls: nil) }
        var errors: [ConfigError] = []
        func read(_ source: PEMSource?) -> [UInt8]? {
            guard let source else { return nil }
            switch source.origin {
            case .inline(let text):
                return Array(text.utf8)
            case .file(let file):
                do {
                    return try readFile(file)
                } catch {
                    errors.append(source.error("cannot read it: \(error.reason)"))
                    return nil
                }
            }
        }
        let certificate = read(settings.certificate)
        let key = read(settings.key)
        let clientCA = read(settings.clientCA)
        guard errors.isEmpty, let certificate, let key else { throw ConfigErrors(errors) }
        let material = TLSMaterial(settings: settings, certificatePEM: certificate, keyPEM: key, clientCAPEM: clientCA)
        return LoadedWebConfig(path: path, config: config, tls: material)
    }

    private struct ReadFailure: Error {
        var reason: String
    }

    /// The whole file, or the system's reason it cannot be read.
    private static func readFile(_ path: String) throws(ReadFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadFailure(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[..<count])
                // PEM files are a few KiB; anything this large is not one.
                guard bytes.count <= 1 << 20 else { throw ReadFailure(reason: "larger than 1 MiB, not a PEM file") }
            } else if count == 0 {
                return bytes
            } else if errno != EINTR {
                throw ReadFailure(reason: String(cString: strerror(errno)))
            }
        }
    }
}
