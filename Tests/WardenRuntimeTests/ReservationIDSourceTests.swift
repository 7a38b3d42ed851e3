import Testing
@testable import WardenRuntime

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
        // Both digits of a byte take all 16 values (a nibble written twice, or shifted away,
        // would not); missing one by chance in 1,000 ids has odds around 10^-26.
        for position in [4, 5, 34, 35] {
            let digits = Set(ids.map { Array($0.utf8)[position] })
            #expect(digits.count == 16)
        }
    }

    @Test func twoSourcesDoNotHandOutTheSameIds() {
        let first = Set((0..<300).map { _ in ReservationIDSource().next() })
        #expect(first.count == 300)
    }
}
