import Foundation
import Logging
import WardenStore

extension WardenRuntime {
    /// The audit chain's key at `path` (`audit.key_file` when `configured`, else beside the
    /// database). Created (mode 0600) on the first start that finds none, unless the log is keyed
    /// already: then the key it was written with is missing, and a new one would only make every
    /// later row unverifiable against the old ones.
    static func auditKey(path: String, configured: Bool, store: UsageStore, logger: Logger) throws -> AuditKey {
        let setting = configured ? " (audit.key_file)" : ""
        do {
            if FileManager.default.fileExists(atPath: path) { return try AuditKey.load(path: path) }
            if try AuditLog.isKeyed(store) {
                throw ConfigurationLoadError(messages: ["audit key file \(path)\(setting): no such file, but this database's audit "
                    + "log is keyed: restore the key file it was written with"])
            }
            let key = try AuditKey.create(path: path)
            logger.notice("""
                created the audit chain key \(path): keep it away from the database's disk and its backups (a secrets \
                mount) and set audit.key_file to it; whoever holds both the key and the database can rewrite the audit log
                """)
            return key
        } catch let error as AuditKeyError {
            throw ConfigurationLoadError(messages: ["\(error)\(setting)"])
        } catch let error as StoreError {
            throw ConfigurationLoadError(messages: ["reading the audit log to set up its key failed: \(error.message)"])
        }
    }
}
