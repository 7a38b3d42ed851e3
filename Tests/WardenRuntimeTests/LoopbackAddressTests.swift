import Testing
import WardenRuntime

/// Which listen addresses only this host can reach.
@Suite struct LoopbackAddressTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"])
    func loopback(_ host: String) { #expect(LoopbackAddress.contains(host)) }

    @Test(arguments: ["0.0.0.0", "::", "[::]", "10.0.0.5", "192.168.1.1", "::ffff:10.0.0.1", "example.com", "128.0.0.1"])
    func reachableFromElsewhere(_ host: String) { #expect(!LoopbackAddress.contains(host)) }
}
