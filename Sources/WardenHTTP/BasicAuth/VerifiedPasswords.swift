import Crypto
import Synchronization

/// Passwords that have already matched their bcrypt hash, so a scrape every few seconds does
/// not pay for bcrypt (tens of milliseconds at cost 10) each time.
///
/// An entry is the SHA-256 of the user, the stored hash and the password: never the password
/// itself, and an entry stops matching as soon as the user's hash changes. Bounded: past
/// ``capacity`` the oldest entries go. Only successes are kept.
final class VerifiedPasswords: Sendable {
    static let capacity = 1024

    private struct State {
        var entries: Set<[UInt8]> = []
        var order: [[UInt8]] = []
    }

    private let state = Mutex(State())

    static func key(user: String, hash: String, password: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array(user.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array(hash.utf8))
        hasher.update(data: [0])
        hasher.update(data: password)
        return Array(hasher.finalize())
    }

    func contains(_ key: [UInt8]) -> Bool {
        state.withLock { $0.entries.contains(key) }
    }

    func insert(_ key: [UInt8]) {
        state.withLock { state in
            guard state.entries.insert(key).inserted else { return }
            state.order.append(key)
            while state.order.count > Self.capacity {
                state.entries.remove(state.order.removeFirst())
            }
        }
    }

    func removeAll() {
        state.withLock { $0 = State() }
    }
}
