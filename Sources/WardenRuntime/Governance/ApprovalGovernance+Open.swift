import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenStore

extension ApprovalGovernance {
    /// The approvals of a data file, for the command line: `governance:` from
    /// `<rules>/tokenwarden.yaml`, the audit log with its key. Listing and rejecting work offline;
    /// approving does not (an offline actor has no key, so it cannot be the second pair of eyes).
    public static func open(dataPath: String, rulesDirectory: String, logger: Logger) throws(ConfigurationLoadError) -> (ApprovalGovernance, UsageStore) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rulesDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationLoadError(messages: ["\(rulesDirectory): rules directory does not exist (pass --rules)"])
        }
        let deployment: DeploymentConfig
        do throws(ConfigErrors) {
            deployment = try DeploymentConfigFile.load(rulesDirectory: rulesDirectory)
        } catch {
            throw ConfigurationLoadError(messages: error.errors.map(\.description))
        }
        let (administration, store) = try KeyAdministration.open(dataPath: dataPath, rulesDirectory: rulesDirectory,
                                                                 createDatabase: false, logger: logger)
        let governance = ApprovalGovernance(store: store, auditLog: administration.auditLog, settings: deployment.governance,
                                            clock: SystemClock(), logger: logger)
        return (governance, store)
    }
}
