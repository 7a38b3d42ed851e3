#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files, which bounds the connections the server can hold: each
/// is a descriptor, beside the database's and the log's. Distributions start services with a
/// soft limit of 1024 and a far higher hard one, so `serve` raises the soft limit to the hard
/// limit at start, as a server that takes thousands of connections should.
public enum OpenFileLimit {
    /// Raises the soft limit to the hard limit; returns the limit in force afterwards (the old
    /// one if raising failed), or nil when it cannot be read.
    @discardableResult
    public static func raiseToHardLimit() -> Int? {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return nil }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
        }
        return Int(clamping: limits.rlim_cur)  // RLIM_INFINITY is the largest value: it clamps to Int.max
    }
}
