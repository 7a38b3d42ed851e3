import WardenStore

/// Options of `tokenwarden serve`.
public struct ServeOptions: Sendable {
    public var host: String
    public var port: Int
    public var rulesDirectory: String
    public var databasePath: String
    public var extraPricingFiles: [String]
    public var durability: Durability
    public var threadPoolSize: Int
    /// Serve on a non-loopback address although no API key exists (`--insecure-no-auth`).
    public var insecureNoAuth: Bool
    /// `--web.config.file`: TLS and the `/metrics` users (see ``WebConfigFile``); nil for none.
    public var webConfigFile: String?
    /// Start although pseudonyms would split every user's history (`--accept-new-pseudonym-key`):
    /// another pseudonym key than the store's, or raw values of a newly pseudonymised label.
    public var acceptNewPseudonymKey = false

    public init(host: String = "127.0.0.1", port: Int = 9473, rulesDirectory: String = "./Rules",
                databasePath: String = "./data/tokenwarden.sqlite", extraPricingFiles: [String] = [],
                durability: Durability = .processCrash, threadPoolSize: Int = 2, insecureNoAuth: Bool = false) {
        self.host = host
        self.port = port
        self.rulesDirectory = rulesDirectory
        self.databasePath = databasePath
        self.extraPricingFiles = extraPricingFiles
        self.durability = durability
        self.threadPoolSize = threadPoolSize
        self.insecureNoAuth = insecureNoAuth
    }
}
