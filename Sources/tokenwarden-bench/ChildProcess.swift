import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, its stdout and stderr going to a log file.
///
/// Why not Foundation's `Process`: it reaps the child itself, and the benchmark needs `wait4`'s
/// resource usage (how much CPU wrk took from the two shared cores) and an exact exec instant
/// for the recovery timing. Every child is registered so that an interrupted run kills them all
/// instead of leaving daemons bound to ports.
final class ChildProcess: Sendable {
    let pid: pid_t
    let logPath: String
    let command: String

    struct Exit {
        var status: Int32
        var userSeconds: Double
        var systemSeconds: Double
        var cpuSeconds: Double { userSeconds + systemSeconds }
        var succeeded: Bool { status == 0 }
    }

    private let exit = Mutex<Exit?>(nil)

    init(executable: String, arguments: [String], logPath: String) throws {
        command = ([executable] + arguments).joined(separator: " ")
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        // SIGPIPE is ignored in this process (socket writes); children get default handling back.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw BenchError("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        pid = child
        ChildRegistry.shared.add(child)
    }

    /// Blocks until the child exits (or `timeout` passes: then it is killed) and returns how.
    @discardableResult
    func wait(timeout: Duration = .seconds(120)) -> Exit {
        if let known = exit.withLock({ $0 }) { return known }
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { break }
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                _ = wait4(pid, &status, 0, &usage)
                break
            }
            usleep(2_000)
        }
        return record(status: status, usage: usage)
    }

    var hasExited: Bool {
        if exit.withLock({ $0 }) != nil { return true }
        var status: Int32 = 0
        var usage = rusage()
        let reaped = wait4(pid, &status, WNOHANG, &usage)
        guard reaped == pid else { return false }
        record(status: status, usage: usage)
        return true
    }

    /// Keeps what `wait4` said: the exit code, or 128 + the signal that killed the child.
    @discardableResult
    private func record(status: Int32, usage: rusage) -> Exit {
        ChildRegistry.shared.remove(pid)
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let result = Exit(status: code, userSeconds: usage.ru_utime.seconds, systemSeconds: usage.ru_stime.seconds)
        exit.withLock { $0 = result }
        return result
    }

    /// SIGTERM (the daemons shut down gracefully on it), then SIGKILL if it takes too long.
    @discardableResult
    func terminate(grace: Duration = .seconds(20)) -> Exit {
        if !hasExited { kill(pid, SIGTERM) }
        return wait(timeout: grace)
    }

    /// The last lines of the child's log, for error messages.
    func logTail(lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

extension timeval {
    var seconds: Double { Double(tv_sec) + Double(tv_usec) / 1e6 }
}
