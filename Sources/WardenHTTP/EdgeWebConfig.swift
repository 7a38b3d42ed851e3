import Logging
import WardenCore
import WardenFormats
import WardenRuntime

/// The web configuration (`serve --web.config.file`) as the HTTP edge applies it: TLS for every
/// route, and the users `/metrics` asks for. ``reload()`` re-reads the file and the PEM files it
/// names (a SIGHUP does), and swaps what a running server can change: the certificate and key,
/// the client CA and `client_auth_type`, and the users. Turning TLS on or off and the TLS
/// versions take a restart.
public final class EdgeWebConfig: Sendable {
    public let path: String?
    /// nil: plain HTTP.
    public let tls: HTTPServerTLS?
    public let passwords: BasicAuthGate
    private let logger: Logger

    /// - Throws: the certificate, key or client CA problems GnuTLS finds, at the settings that name them.
    public init(_ loaded: LoadedWebConfig?, logger: Logger) throws(ConfigurationLoadError) {
        path = loaded?.path
        self.logger = logger
        passwords = BasicAuthGate(users: loaded?.config.basicAuthUsers ?? [])
        guard let material = loaded?.tls else {
            tls = nil
            return
        }
        do {
            let settings = try TLSSessionSettings(material, logger: logger)
            tls = HTTPServerTLS(settings: settings, minVersion: material.settings.minVersion, maxVersion: material.settings.maxVersion)
            logger.info("serving TLS", metadata: settings.summary)
        } catch {
            throw ConfigurationLoadError(messages: error.errors.map(\.description))
        }
        if let problem = tls?.prioritiesProblem {
            throw ConfigurationLoadError(messages: ["\(material.settings.certificate.configFile): GnuTLS refuses TLS versions "
                + "\(material.settings.minVersion.rawValue) to \(material.settings.maxVersion.rawValue): \(problem)"])
        }
    }

    /// Everything ``init(_:logger:)`` checks, for `tokenwarden check config --web.config.file`.
    public static func validate(_ loaded: LoadedWebConfig, logger: Logger) throws(ConfigurationLoadError) {
        _ = try EdgeWebConfig(loaded, logger: logger)
    }

    /// Re-reads the file; if anything in it is wrong, logs every problem and changes nothing.
    public func reload() {
        guard let path else { return }
        let loaded: LoadedWebConfig
        let settings: TLSSessionSettings?
        do {
            loaded = try WebConfigFile.load(path: path)
            settings = try loaded.tls.map { material throws(ConfigErrors) in try TLSSessionSettings(material, logger: logger) }
        } catch {
            for problem in error.errors { logger.error("\(problem)") }
            logger.error("web configuration not reloaded; the one in force stays", metadata: ["file": "\(path)"])
            return
        }
        if (loaded.tls == nil) != (tls == nil) {
            logger.error("the web configuration turns TLS \(tls == nil ? "on" : "off"), which takes a restart; not reloaded",
                         metadata: ["file": "\(path)"])
            return
        }
        if let tls, let material = loaded.tls,
           material.settings.minVersion != tls.minVersion || material.settings.maxVersion != tls.maxVersion {
            logger.warning("min_version and max_version take effect at the next restart", metadata: ["file": "\(path)"])
        }
        if let tls, let settings {
            tls.replace(with: settings)
            logger.notice("TLS certificate reloaded; new connections use it", metadata: settings.summary)
        }
        passwords.replaceUsers(loaded.config.basicAuthUsers)
        logger.info("web configuration reloaded", metadata: ["file": "\(path)", "users": "\(loaded.config.basicAuthUsers.count)"])
    }
}
