import Foundation
import Synchronization
import Testing
import WardenCore
import WardenFormats
import WardenRuntime

/// The prices in force, swapped whole while other threads price events.
@Suite struct LivePricingTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-live-pricing-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/pricing", withIntermediateDirectories: true)
    }

    /// Two models in two files, both at `input` per million (output 0), so a catalog mixing two
    /// versions would price one of a batch's events differently from the other.
    private func writeCatalog(input: String) throws {
        for (file, model) in [("a.yaml", "m1"), ("b.yaml", "m2")] {
            try "models:\n  - {provider: p, model: \(model), prices: {per: million, input: \"\(input)\", output: \"0\"}}\n"
                .write(toFile: root + "/pricing/" + file, atomically: true, encoding: .utf8)
        }
    }

    private func livePricing() -> LivePricing {
        let directory = PricingDirectory(rulesDirectory: root)
        let loaded = directory.load()
        return LivePricing(pricer: UsagePricer(catalog: loaded.catalog, unknownModels: .reject), digests: loaded.digests,
                           load: { directory.load() })
    }

    private static func batch() -> [UsageEvent] {
        ["m1", "m2"].map { model in
            UsageEvent(id: model, time: nil, provider: "p", model: model, tokens: TokenUsage(input: 1_000_000, output: 0),
                       attribution: Attribution())
        }
    }

    @Test func batchesPricedWhileTheCatalogIsReplacedManyTimesArePricedByOneWholeCatalog() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeCatalog(input: "1")
        let pricing = livePricing()
        let one = try PriceUnit.million.perTokenPrice(fromText: "1").money * 1_000_000
        let two = try PriceUnit.million.perTokenPrice(fromText: "2").money * 1_000_000
        let done = Atomic<Bool>(false)
        let problems = Mutex<[String]>([])
        let batches = Atomic<Int>(0)
        let threads = (0..<3).map { _ in
            Thread {
                while !done.load(ordering: .acquiring) {
                    switch pricing.pricer.price(Self.batch(), receivedAt: Timestamp(nanosecondsSinceEpoch: 0)) {
                    case .success(let priced):
                        let costs = priced.map(\.cost)
                        if costs != [one, one] && costs != [two, two] { problems.withLock { $0.append("\(costs)") } }
                    case .failure(let error):
                        problems.withLock { $0.append("\(error.errors)") }
                    }
                    batches.add(1, ordering: .relaxed)
                }
            }
        }
        for thread in threads { thread.start() }
        for round in 0..<60 {
            try writeCatalog(input: round % 2 == 0 ? "2" : "1")
            guard case .success(let prepared) = pricing.prepare() else {
                Issue.record("a valid catalog did not load")
                break
            }
            pricing.install(prepared)
        }
        done.store(true, ordering: .releasing)
        while threads.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.001) }
        #expect(problems.withLock { $0 }.isEmpty, "\(problems.withLock { $0.prefix(3) })")
        #expect(batches.load(ordering: .relaxed) > 0)
    }

    @Test func aCatalogWithAnErrorIsNotPreparedAndThePricesInForceStay() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeCatalog(input: "1")
        let pricing = livePricing()
        try "models: [\n".write(toFile: root + "/pricing/b.yaml", atomically: true, encoding: .utf8)
        guard case .failure(let failure) = pricing.prepare() else {
            Issue.record("a broken file was accepted")
            return
        }
        #expect(failure.messages.first?.hasPrefix(root + "/pricing/b.yaml:") == true, "\(failure.messages)")
        #expect(pricing.catalog.lookup(provider: "p", model: "m2", at: Timestamp(nanosecondsSinceEpoch: 0)) != nil)
    }

    @Test func installingReturnsTheDigestsOfTheFilesReplaced() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writeCatalog(input: "1")
        let pricing = livePricing()
        let before = PricingDirectory(rulesDirectory: root).load().digests
        try writeCatalog(input: "2")
        guard case .success(let prepared) = pricing.prepare() else {
            Issue.record("a valid catalog did not load")
            return
        }
        #expect(pricing.install(prepared) == before)
        #expect(prepared.digests != before)
    }
}
