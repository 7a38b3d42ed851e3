import Testing
@testable import WardenServer

@Suite struct ReservationIDSourceTests {
    @Test func idsAreRsvAnd32HexDigitsAndNeverRepeatAcrossRefills() {
        let source = ReservationIDSource()
        // 1,000 ids span four refills of the 4 KiB pool (256 ids each).
        let ids = (0..<1_000).map { _ in source.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("rsv_"))
            #expect(id.utf8.count == 36)
            #expect(id.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) })
        }
    }

    @Test func twoSourcesDoNotHandOutTheSameIds() {
        let first = Set((0..<300).map { _ in ReservationIDSource().next() })
        #expect(first.count == 300)
    }
}
