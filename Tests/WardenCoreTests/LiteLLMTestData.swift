import Foundation
import Testing

/// The LiteLLM catalog shipped as test data beside the repository (`/work/shared/data`), found
/// relative to this source file. Tests that need it are skipped, with this path in the message,
/// when it is absent.
enum LiteLLMTestData {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/WardenCoreTests
        .appendingPathComponent("../../../shared/data/litellm-model-prices.json")
        .standardizedFileURL

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: url.path) }

    static let bytes: [UInt8] = (FileManager.default.contents(atPath: url.path)).map { [UInt8]($0) } ?? []

    static let missingMessage: Comment = "needs the LiteLLM catalog at ../shared/data/litellm-model-prices.json"
}
