/// How hard an acknowledged event is protected.
///
/// Both levels use SQLite's write-ahead log. `processCrash` (`synchronous=NORMAL`) survives a
/// crash or SIGKILL of the process: a commit is in the WAL in the OS page cache before we answer.
/// `powerLoss` (`synchronous=FULL`) also fsyncs the WAL on every commit, so an acknowledged event
/// survives a power cut, at the price of one fsync per group commit.
public enum Durability: String, Sendable, CaseIterable {
    case processCrash = "normal"
    case powerLoss = "full"

    var synchronousPragma: String {
        switch self {
        case .processCrash: return "NORMAL"
        case .powerLoss: return "FULL"
        }
    }
}
