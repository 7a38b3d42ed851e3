import WardenFormats
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import WardenHTTP
import WardenRuntime
import WardenStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API and /metrics.",
        discussion: "SIGTERM or SIGINT stops accepting requests, finishes in-flight ones, flushes and closes the database. SIGHUP reloads the rule files (as POST /-/reload does) and re-reads the web configuration file with its certificates."
    )

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free port).")
    var listen: String = "127.0.0.1:9473"

    @Option(help: "Directory with tokenwarden.yaml, rule files and pricing/.")
    var rules: String = "./Rules"

    @Option(help: "SQLite database file (created if missing).")
    var data: String = "./data/tokenwarden.sqlite"

    @Option(help: "Pricing file loaded on top of <rules>/pricing/ (TokenWarden YAML or a LiteLLM JSON catalog); repeatable.")
    var pricing: [String] = []

    @Option(help: "normal: an acknowledged event survives a process crash (WAL, synchronous=NORMAL); full: also a power loss (synchronous=FULL).")
    var durability: DurabilityArgument = .normal

    @Option(help: "libmicrohttpd worker threads.")
    var threads: Int = 2

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Log line format: text, json (one object per line) or logfmt.")
    var logFormat: LogLineHandler.Format = .text

    @Flag(help: "Serve a non-loopback --listen address although no API key exists (anyone who reaches it can do anything).")
    var insecureNoAuth = false

    @Flag(help: "Start although pseudonyms would split every user's history: a pseudonym key other than the one the database's pseudonyms were made with, or privacy.pseudonymise naming a label the database holds raw values of.")
    var acceptNewPseudonymKey = false

    @Option(name: .customLong("web.config.file"),
            help: "Web configuration file (Prometheus exporter-toolkit format): TLS, and the users /metrics asks for.")
    var webConfigFile: String?

    enum DurabilityArgument: String, ExpressibleByArgument, CaseIterable {
        case normal, full
        var value: Durability { self == .normal ? .processCrash : .powerLoss }
    }

    func validate() throws {
        _ = try ListenAddress(listen)
        guard threads >= 1 && threads <= 64 else { throw ValidationError("--threads must be between 1 and 64") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let format = logFormat
        LoggingSystem.bootstrap { label in LogLineHandler.standardError(label: label, format: format, level: level) }
        let logger = Logger(label: "tokenwarden")
        let address = try ListenAddress(listen)
        var options = ServeOptions(host: address.host, port: address.port, rulesDirectory: rules, databasePath: data,
                                   extraPricingFiles: pricing, durability: durability.value, threadPoolSize: threads,
                                   insecureNoAuth: insecureNoAuth)
        options.webConfigFile = webConfigFile
        options.acceptNewPseudonymKey = acceptNewPseudonymKey
        let openFiles = OpenFileLimit.raiseToHardLimit()
        let runtime: WardenRuntime
        let edge: HTTPEdge
        do {
            runtime = try WardenRuntime(options: options, logger: logger)
            edge = try HTTPEdge(runtime: runtime)
        } catch let error as ConfigurationLoadError {
            for message in error.messages { logger.critical("\(message)") }
            throw ExitCode(78)  // EX_CONFIG
        }
        // Each connection is a descriptor, besides the database's, the log's and the listener's.
        if let openFiles, runtime.deployment.http.maxConnections > openFiles - 64 {
            logger.warning("http.max_connections is more than the open-file limit allows; connections past it will fail", metadata: [
                "max_connections": "\(runtime.deployment.http.maxConnections)", "open_file_limit": "\(openFiles)",
            ])
        }
        let group = ServiceGroup(configuration: .init(
            services: runtime.services(http: edge.service),
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

/// `HOST:PORT`, with `[v6]:PORT` for IPv6 literals.
struct ListenAddress {
    var host: String
    var port: Int

    init(_ text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:9473, not \(text)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("--listen needs a host, e.g. 0.0.0.0:\(port)") }
        self.host = host
        self.port = port
    }
}

extension LogLineHandler.Format: ExpressibleByArgument {}
