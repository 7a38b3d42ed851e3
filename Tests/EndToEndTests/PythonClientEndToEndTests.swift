import Foundation
import Testing
import TestSupport

/// The Python client's suite (clients/python/tests) against the real binary: the client, the
/// guard, the provider adapters and wrappers, the LiteLLM callback, the docs' examples, and real
/// answers validated against docs/openapi.json with openapi-core. pytest runs in the venv that
/// `make test` prepares (.build/python); its output is shown when it fails.
@Suite("Python client end to end")
struct PythonClientEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func thePythonClientSuitePassesAgainstTheBinary() throws {
        let python = try Tools.python()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "clients/python/tests"]
        process.currentDirectoryURL = Self.root
        var environment = ProcessInfo.processInfo.environment
        environment["TOKENWARDEN_BINARY"] = WardenProcess.binaryPath
        environment["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
        process.environment = environment
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tw-pytest-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        try output.close()
        let log = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "pytest failed (\(process.terminationStatus)):\n\(log.suffix(12_000))")
        #expect(log.contains(" passed"), "pytest ran no test:\n\(log.suffix(4_000))")
    }
}
