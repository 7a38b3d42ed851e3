import Testing
import WardenMetrics

@Suite struct HistogramTests {
    @Test func observationOnABoundCountsInThatBucket() {
        let histogram = Histogram(upperBounds: [0.1, 1])
        histogram.observe(0.1)
        histogram.observe(1)
        #expect(histogram.snapshot().cumulativeCounts == [1, 2, 2])
    }

    @Test func bucketsAreCumulativeAndEndWithTheCount() {
        let histogram = Histogram(upperBounds: [0.01, 0.1, 1, 10])
        for seconds in [0.005, 0.05, 0.05, 0.5, 5, 50, 500] { histogram.observe(seconds) }
        let snapshot = histogram.snapshot()
        #expect(snapshot.upperBounds == [0.01, 0.1, 1, 10])
        #expect(snapshot.cumulativeCounts == [1, 3, 4, 5, 7])
        #expect(snapshot.count == 7)
        #expect(snapshot.sum == 0.005 + 0.05 + 0.05 + 0.5 + 5 + 50 + 500)
    }

    @Test func nanIsIgnoredAndNegativeCountsAsZero() {
        let histogram = Histogram(upperBounds: [1])
        histogram.observe(.nan)
        histogram.observe(-3)
        let snapshot = histogram.snapshot()
        #expect(snapshot.cumulativeCounts == [1, 1])
        #expect(snapshot.sum == 0)
    }

    @Test func infinityLandsInTheInfBucket() {
        let histogram = Histogram(upperBounds: [1])
        histogram.observe(.infinity)
        #expect(histogram.snapshot().cumulativeCounts == [0, 1])
    }

    @Test func explicitInfBoundIsTheImplicitOne() {
        #expect(Histogram(upperBounds: [1, 2, .infinity]).upperBounds == [1, 2])
    }

    @Test func defaultBucketsAreTheGoClientOnes() {
        #expect(Histogram().upperBounds == [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
    }

    @Test func concurrentObservationsAreAllCounted() async {
        let histogram = Histogram(upperBounds: [0.5, 1.5])
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for _ in 0..<10_000 { histogram.observe(Double(task % 2)) }
                }
            }
        }
        let snapshot = histogram.snapshot()
        #expect(snapshot.cumulativeCounts == [40_000, 80_000, 80_000])
        #expect(snapshot.sum == 40_000)
    }

    @Test func snapshotsAreIndependentOfLaterObservations() {
        let histogram = Histogram(upperBounds: [1])
        histogram.observe(0.5)
        let before = histogram.snapshot()
        histogram.observe(0.5)
        #expect(before.count == 1)
        #expect(histogram.snapshot().count == 2)
        #expect(before != histogram.snapshot())
    }

    @Test func unsortedBoundsTrap() async {
        await #expect(processExitsWith: .failure) { _ = Histogram(upperBounds: [1, 0.5]) }
        await #expect(processExitsWith: .failure) { _ = Histogram(upperBounds: [.nan]) }
    }

    @Test func snapshotWithWrongCountCountTraps() async {
        await #expect(processExitsWith: .failure) { _ = HistogramSnapshot(upperBounds: [1], cumulativeCounts: [1], sum: 0) }
        await #expect(processExitsWith: .failure) { _ = HistogramSnapshot(upperBounds: [1], cumulativeCounts: [2, 1], sum: 0) }
    }
}
