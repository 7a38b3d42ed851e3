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
    /// `--web.config.file`: TLS and the `/metrics` users (see ``WebConfigFile``); nil for none.
    public var webConfigFile: String?

    public init(host: String = "127.0.0.1", port: Int = 9473, rulesDirectory: String = "./Rules",
                databasePath: String = "./data/tokenwarden.sqlite", extraPricingFiles: [String] = [],
                durability: Durability = .processCrash, threadPoolSize: Int = 2) {
        self.host = host
        self.port = port
        self.rulesDirectory = rulesDirectory
        self.databasePath = databasePath
        self.extraPricingFiles = extraPricingFiles
        self.durability = durability
        self.threadPoolSize = threadPoolSize
    }
}
