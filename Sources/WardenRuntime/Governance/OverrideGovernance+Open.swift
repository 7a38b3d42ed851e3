import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenStore

extension OverrideGovernance {
    /// The overrides of a data file, for the command line: `governance:` and the attribution
    /// schema from `<rules>/tokenwarden.yaml`, the budgets from the rule files (a request is
    /// checked against them as the server would), the audit log with its key. Nothing is applied
    /// to an engine: a running server on the same file notices the change within a second.
    public static func open(dataPath: String, rulesDirectory: String, logger: Logger) throws(ConfigurationLoadError) -> (OverrideGovernance, UsageStore) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rulesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationLoadError(messages: ["\(rulesDirectory): rules directory does not exist (overrides are checked against its budgets; pass --rules)"])
        }
        let deployment: DeploymentConfig
        let rules: RuleSet
        do throws(ConfigErrors) {
            deployment = try DeploymentConfigFile.load(rulesDirectory: rulesDirectory)
            rules = try RuleDirectory(path: rulesDirectory).loadWithDigests(schema: deployment.schema).rules
        } catch {
            throw ConfigurationLoadError(messages: error.errors.map(\.description))
        }
        let (administration, store) = try KeyAdministration.open(dataPath: dataPath, rulesDirectory: rulesDirectory,
                                                                 createDatabase: false, logger: logger)
        let governance = OverrideGovernance(store: store, auditLog: administration.auditLog, settings: deployment.governance,
                                            clock: SystemClock(), rules: { rules }, pseudonymisation: administration.pseudonymisation,
                                            logger: logger)
        return (governance, store)
    }
}
