import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenStore

extension WardenRuntime {
    /// The pseudonymisation `privacy:` asks for, its key read (or made, on the first start that
    /// pseudonymises: the file is written only once the start is sure to go ahead).
    ///
    /// A start that would split every user's history is refused unless `--accept-new-pseudonym-key`
    /// is given: a key other than the one the store's pseudonyms were made with (its fingerprint is
    /// recorded), or a newly pseudonymised label whose raw values the store already holds. Either
    /// way, old rows and new ones would name the same person differently.
    static func pseudonymisation(_ options: ServeOptions, deployment: DeploymentConfig, store: UsageStore,
                                 logger: Logger) throws -> Pseudonymisation {
        let privacy = deployment.privacy
        let labels = privacy.pseudonymise
        do {
            guard !labels.isEmpty else {
                if let record = try store.privacyRecord(), !record.labels.isEmpty {
                    logger.warning("""
                        privacy.pseudonymise is not set, but this database holds pseudonyms of \
                        \(record.labels.joined(separator: ", ")): new values of these labels are stored raw
                        """)
                }
                return .none
            }
            let path = privacy.keyFile ?? PseudonymKey.defaultPath(forDatabase: options.databasePath)
            let setting = privacy.keyFile != nil ? " (privacy.key_file)" : ""
            var created: [UInt8]?
            let key: PseudonymKey
            if FileManager.default.fileExists(atPath: path) {
                key = try PseudonymKey.load(path: path)
            } else {
                let bytes = PseudonymKey.randomBytes()
                key = PseudonymKey(bytes: bytes)!
                created = bytes
            }
            let record = try store.privacyRecord()
            var problems: [String] = []
            var fresh = labels
            if let record, !record.labels.isEmpty {
                if record.keyFingerprint != key.fingerprint {
                    problems.append(created != nil
                        ? "the pseudonym key file \(path)\(setting) does not exist, and this database's pseudonyms were made with a key of fingerprint \(record.keyFingerprint)"
                        : "the pseudonym key \(path)\(setting) (fingerprint \(key.fingerprint)) is not the key this database's pseudonyms were made with (fingerprint \(record.keyFingerprint))")
                }
                fresh = labels.filter { !record.labels.contains($0) }
            }
            let raw = try store.labelsHoldingRawValues(fresh)
            if !raw.isEmpty {
                problems.append("this database holds raw values of \(raw.joined(separator: ", ")), recorded before \(raw.count == 1 ? "it was" : "they were") pseudonymised")
            }
            if !problems.isEmpty {
                let consequence = """
                    pseudonymising with this key splits every user's history: rows recorded so far keep their values, new ones get \
                    other pseudonyms, and budgets, exports and filters count them as different people
                    """
                guard options.acceptNewPseudonymKey else {
                    throw ConfigurationLoadError(messages: ["""
                        refusing to start: \(problems.joined(separator: "; ")); \(consequence). Restore the key file the pseudonyms \
                        were made with, or start once with serve --accept-new-pseudonym-key to accept the split
                        """])
                }
                logger.warning("\(problems.joined(separator: "; ")); accepted with --accept-new-pseudonym-key: \(consequence)")
            }
            if let created {
                try PseudonymKey.create(path: path, bytes: created)
                logger.notice("""
                    created the pseudonym key \(path): keep it with the audit key, away from the database's backups (whoever \
                    holds it can test guesses of raw ids), and never lose it: a new key splits every user's history
                    """)
            }
            let current = PrivacyRecord(keyFingerprint: key.fingerprint, labels: labels)
            if record != current { try store.savePrivacyRecord(current) }
            logger.info("pseudonymising attribution labels", metadata: ["labels": "\(labels.joined(separator: ","))",
                                                                       "key_fingerprint": "\(key.fingerprint)"])
            return key.pseudonymisation(labels: labels)
        } catch let error as PseudonymKeyError {
            throw ConfigurationLoadError(messages: ["\(error)"])
        } catch let error as StoreError {
            throw ConfigurationLoadError(messages: ["setting up pseudonyms: \(error.message)"])
        }
    }

    /// Warns about budget and quota scopes that name a raw value of a pseudonymised label: the
    /// attributions they compare with hold pseudonyms, so such a scope never matches. The value
    /// itself is not logged (it may be a person's id).
    static func warnAboutRawScopes(_ rules: RuleSet, pseudonymisation: Pseudonymisation, logger: Logger) {
        guard pseudonymisation.isEnabled else { return }
        let scopes = rules.budgets.map { ("budget", $0.name, $0.scope) } + rules.quotas.map { ("quota", $0.name, $0.scope) }
        for (kind, name, scope) in scopes {
            for (label, condition) in scope.conditions where pseudonymisation.applies(to: label) {
                guard case .equals(let value) = condition, !Pseudonymisation.isPseudonym(value) else { continue }
                logger.warning("""
                    \(kind) \(name): its scope names a raw value of \(label), which is pseudonymised (privacy.pseudonymise), \
                    so it never matches; write the pseudonym that tokenwarden pseudonym \(label) VALUE prints
                    """)
            }
        }
    }

    /// The pseudonymisation for an offline command on the data file (`keys`, `pseudonym`): the
    /// key must exist unless `creating` (then it is made as a first start would make it).
    public static func pseudonymisationForCommand(deployment: DeploymentConfig, dataPath: String, creating: Bool = true,
                                                  logger: Logger) throws(ConfigurationLoadError) -> Pseudonymisation {
        let labels = deployment.privacy.pseudonymise
        guard !labels.isEmpty else { return .none }
        return try pseudonymKey(deployment: deployment, dataPath: dataPath, creating: creating, logger: logger).pseudonymisation(labels: labels)
    }

    /// The pseudonym key `deployment` names (or the default beside `dataPath`).
    public static func pseudonymKey(deployment: DeploymentConfig, dataPath: String, creating: Bool,
                                    logger: Logger) throws(ConfigurationLoadError) -> PseudonymKey {
        let path = deployment.privacy.keyFile ?? PseudonymKey.defaultPath(forDatabase: dataPath)
        do {
            if FileManager.default.fileExists(atPath: path) || !creating { return try PseudonymKey.load(path: path) }
            let bytes = PseudonymKey.randomBytes()
            try PseudonymKey.create(path: path, bytes: bytes)
            logger.notice("created the pseudonym key \(path)")
            return PseudonymKey(bytes: bytes)!
        } catch {
            throw ConfigurationLoadError(messages: ["\(error)"])
        }
    }
}
