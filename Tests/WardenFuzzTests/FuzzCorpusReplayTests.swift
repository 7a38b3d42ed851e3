import Foundation
import Testing
import WardenFuzzTargets

/// The fuzz corpora under `Tests/Fuzz/<target>/`: every seed and every crash input `make fuzz`
/// ever found runs through its target's entry function on every test run, so a fixed crash stays
/// fixed. Each target also has the dictionary its fuzzer is started with.
@Suite struct FuzzCorpusReplayTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func files(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func everySeedAndCrashInputRunsWithoutViolation(target name: String) async throws {
        let target = try #require(FuzzTarget.all.first { $0.name == name })
        let folder = Self.corpusRoot.appendingPathComponent(name)
        let inputs = Self.files(in: folder.appendingPathComponent("seeds")) + Self.files(in: folder.appendingPathComponent("crashes"))
        let violations = try await Self.onOwnThread {
            var violations: [String] = []
            for file in inputs {
                let bytes = try [UInt8](Data(contentsOf: file))
                do {
                    try target.run(bytes)
                } catch {
                    violations.append("\(name)/\(file.deletingLastPathComponent().lastPathComponent)/\(file.lastPathComponent): \(error)")
                }
            }
            return violations
        }
        #expect(!inputs.isEmpty)
        for violation in violations { Issue.record(Comment(rawValue: violation)) }
    }

    /// Entry functions block while they wait (the HTTP target waits for its server and for each
    /// answer), which must not hold one of the few threads of the concurrency pool the server's
    /// own services run on.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func everyTargetHasSeedsACrashFolderAndADictionary(target name: String) {
        let folder = Self.corpusRoot.appendingPathComponent(name)
        #expect(!Self.files(in: folder.appendingPathComponent("seeds")).isEmpty, "no seeds for \(name)")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("crashes").path, isDirectory: &isDirectory)
                && isDirectory.boolValue, "no crashes folder for \(name)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(name).dict").path), "no \(name).dict")
    }

    /// libFuzzer refuses to start on a dictionary line it cannot read: every line is blank, a
    /// comment, or `[name=]"text"` with only `\\`, `\"` and `\xNN` escapes.
    @Test(arguments: FuzzTarget.all.map(\.name))
    func everyDictionaryLineIsOneLibFuzzerCanRead(target name: String) throws {
        let file = Self.corpusRoot.appendingPathComponent(name).appendingPathComponent("\(name).dict")
        let text = try String(contentsOf: file, encoding: .utf8)
        let entry = /^([A-Za-z0-9_]+=)?"([^"\\]|\\\\|\\"|\\x[0-9A-Fa-f]{2})*"$/
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            #expect(trimmed.wholeMatch(of: entry) != nil, "\(name).dict: \(trimmed)")
        }
    }
}
