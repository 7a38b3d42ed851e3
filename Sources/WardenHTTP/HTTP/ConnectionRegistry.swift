import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Every open client connection of a server, so that one stuck receiving a request can be found
/// and cut off.
///
/// Entries come and go with libmicrohttpd's connection notices, under this registry's lock.
/// libmicrohttpd closes a connection's socket only after its close notice has returned, so
/// while an entry is here, its socket number is that connection's: shutting it down under the
/// lock can never hit a socket the number was reused for.
final class ConnectionRegistry: Sendable {
    private let open = Mutex<[ObjectIdentifier: ClientConnection]>([:])

    func insert(_ connection: ClientConnection) {
        open.withLock { _ = $0.updateValue(connection, forKey: ObjectIdentifier(connection)) }
    }

    func remove(_ connection: ClientConnection) {
        open.withLock { _ = $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    var count: Int { open.withLock { $0.count } }

    /// Shuts down (both ways) the socket of every connection that has been receiving a request
    /// since before `cutoff`; libmicrohttpd then sees the connection end and closes it on its own
    /// thread. Returns how many were cut off.
    func cutOffReceiving(since cutoff: UInt64) -> Int {
        open.withLock { open in
            var count = 0
            for connection in open.values {
                let since = connection.receivingSince.load(ordering: .relaxed)
                guard since != 0, since < cutoff else { continue }
                // Once: the connection may take a moment to close.
                connection.requestReceived()
                shutdown(connection.socket, Int32(SHUT_RDWR))
                count += 1
            }
            return count
        }
    }
}
