import Foundation

/// External tools the tests run for real (installed by `make test`).
enum Tools {
    static func path(of tool: String) throws -> String {
        if tool.hasPrefix("/") {
            guard FileManager.default.isExecutableFile(atPath: tool) else { throw TestFailure("\(tool) is not an executable") }
            return tool
        }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/local/bin", "/bin"]
        for directory in directories {
            let candidate = (directory as NSString).appendingPathComponent(tool)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestFailure("\(tool) is not installed; `make test` installs it (Debian package or pip)")
    }

    /// The Python of the venv `make test-deps` prepares (`.build/python`, every package the tests
    /// import, pinned).
    static func python() throws -> String {
        let python = CommandLineEndToEndTests.repositoryRoot.appendingPathComponent(".build/python/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestFailure("no Python venv at \(python): `make test-deps` (run by `make test`) creates it")
        }
        return python
    }

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs a tool with `input` on stdin; returns its exit status and combined output.
    static func run(_ tool: String, _ arguments: [String], input: Data = Data()) throws -> Result {
        try run(executable: try path(of: tool), arguments, input: input)
    }

    static func run(executable: String, _ arguments: [String], input: Data = Data(), directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        if let directory { process.currentDirectoryURL = directory }
        process.arguments = arguments
        let stdin = Pipe()
        let output = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Write stdin on another thread so a tool that prints a lot before reading can't deadlock.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
