import Foundation
import Testing

/// The LiteLLM model-price catalogs the importer tests read.
///
/// The trimmed catalog is committed under `Tests/Fixtures/litellm` (found relative to this source
/// file), so those tests run from any clone. The whole catalog is not in the repository: the
/// tests that need it run only when `TOKENWARDEN_LITELLM_CATALOG` names a copy, and say they were
/// skipped otherwise.
enum LiteLLMTestData {
    static let trimmedURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/WardenCoreTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures/litellm/model-prices-trimmed.json")

    /// The committed subset of the catalog (see `Tests/Fixtures/litellm/README.md`).
    static func trimmedBytes() throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: trimmedURL.path) else {
            throw LiteLLMTestDataMissing(path: trimmedURL.path)
        }
        return [UInt8](data)
    }

    static let fullCatalogVariable = "TOKENWARDEN_LITELLM_CATALOG"

    /// The whole catalog's path, when the environment names one.
    static var fullCatalogPath: String? {
        ProcessInfo.processInfo.environment[fullCatalogVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    static let fullCatalogSkipped: Comment = """
        the whole LiteLLM catalog is not in the repository: set \
        TOKENWARDEN_LITELLM_CATALOG=/path/to/model_prices_and_context_window.json to run this check
        """

    /// The whole catalog; a path that is set but unreadable fails the test rather than skipping it.
    static func fullCatalogBytes() throws -> [UInt8] {
        let path = try #require(fullCatalogPath)
        guard let data = FileManager.default.contents(atPath: path) else { throw LiteLLMTestDataMissing(path: path) }
        return [UInt8](data)
    }
}

struct LiteLLMTestDataMissing: Error, CustomStringConvertible {
    var path: String
    var description: String { "cannot read the LiteLLM catalog at \(path)" }
}
