import CCrypt
import Dispatch
import Synchronization

/// Checks passwords against bcrypt hashes with the system's libcrypt, one at a time, off the
/// HTTP worker threads.
///
/// A check at cost 10 takes tens of milliseconds of CPU: on a worker thread it would stall every
/// connection that thread serves, and run in parallel a stream of wrong passwords could take
/// every core. So checks run on one serial queue, and at most ``maxPending`` wait for it; past
/// that, ``submit(_:)`` refuses and the caller answers 429.
final class BcryptVerifier: Sendable {
    static let maxPending = 64
    private let queue = DispatchQueue(label: "tokenwarden.basic-auth.bcrypt", qos: .userInitiated)
    private let pending = Atomic<Int>(0)
    /// bcrypt checks run so far: what the cache of verified passwords saves.
    let checksRun = Atomic<Int>(0)

    /// Runs `check` on the verifier's queue, unless ``maxPending`` checks already wait.
    func submit(_ check: @escaping @Sendable () -> Void) -> Bool {
        guard pending.add(1, ordering: .relaxed).newValue <= Self.maxPending else {
            pending.subtract(1, ordering: .relaxed)
            return false
        }
        queue.async { [self] in
            checksRun.add(1, ordering: .relaxed)
            check()
            pending.subtract(1, ordering: .relaxed)
        }
        return true
    }

    /// Whether `password` hashes to `hash`. bcrypt reads at most 72 bytes and C strings end at a
    /// NUL, so a longer password or one with a NUL byte never matches: otherwise `secret\0x` or
    /// a 73-byte password sharing the first 72 would pass for the real one.
    static func matches(password: [UInt8], hash: String) -> Bool {
        guard password.count <= 72, !password.contains(0) else { return false }
        let text = password.map { CChar(bitPattern: $0) } + [0]
        return warden_crypt_matches(text, hash) == 1
    }
}
