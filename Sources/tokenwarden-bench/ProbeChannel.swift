import Foundation

/// How a probe child hands its result to `run`: one JSON line, prefixed so that log lines the
/// libraries print on the same stream can't be mistaken for it.
enum ProbeChannel {
    static let prefix = "BENCH-RESULT "

    static func emit<T: Encodable>(_ value: T) throws {
        let data = try JSONEncoder().encode(value)
        print(prefix + String(decoding: data, as: UTF8.self))
        fflush(nil)
    }

    /// Runs `tokenwarden-bench <arguments>` and decodes what it emitted.
    static func run<T: Decodable>(_ type: T.Type, benchBinary: String, arguments: [String], logPath: String,
                                  timeout: Duration = .seconds(300)) throws -> (T, ChildProcess.Exit) {
        let child = try ChildProcess(executable: benchBinary, arguments: arguments, logPath: logPath)
        let exit = child.wait(timeout: timeout)
        let output = child.log
        guard exit.succeeded,
              let line = output.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }) else {
            throw BenchError("probe `\(arguments.joined(separator: " "))` failed (status \(exit.status)):\n\(child.logTail())")
        }
        let value = try JSONDecoder().decode(T.self, from: Data(line.dropFirst(prefix.count).utf8))
        return (value, exit)
    }
}
