import Foundation
import Testing

/// The system's gzip, so bodies are compressed or checked by another implementation than the
/// server's own zlib calls.
enum SystemGzip {
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] { try run(["-c"], bytes) }

    static func decompress(_ bytes: [UInt8]) throws -> [UInt8] { try run(["-dc"], bytes) }

    private static func run(_ arguments: [String], _ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Written from another thread: a body larger than the pipe's buffer would otherwise
        // block the write while gzip waits for its output to be read.
        let writer = Thread { input.fileHandleForWriting.write(Data(bytes)); try? input.fileHandleForWriting.close() }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip \(arguments.joined(separator: " ")) failed")
        return Array(data)
    }
}
