#if canImport(Glibc)
import Glibc
#endif

/// Polls until `condition` holds or `timeout` passes; returns whether it held.
public func waitUntil(timeout: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

