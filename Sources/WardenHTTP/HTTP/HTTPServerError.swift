/// Why the HTTP server could not start. A struct around an open set of codes, so adding a code
/// later does not break callers that switch over the ones they know.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidConfiguration, invalidAddress, bindFailed, alreadyRunning
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A configuration value is out of range (e.g. a negative body limit).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The host is not an IP literal or `localhost`, or the port is outside 0...65535.
        public static let invalidAddress = Code(.invalidAddress)
        /// libmicrohttpd could not listen (address in use, permission denied, ...).
        public static let bindFailed = Code(.bindFailed)
        /// ``HTTPServer/start()`` was called on a running server.
        public static let alreadyRunning = Code(.alreadyRunning)

        public var description: String { "\(base)" }
    }

    public let code: Code
    /// A sentence a user can act on, naming the address and the system's reason where there is one.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
