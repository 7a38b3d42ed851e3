import Logging
import ServiceLifecycle
import WardenCore
import WardenMetrics
import WardenStore

/// Recomputes per-user spend from the usage log every `refresh` for `tokenwarden_user_spend`
/// (``UserSpendExposition``): a scan of the month's events, too slow for a scrape to wait for.
/// A failed scan keeps the previous numbers (and is logged).
struct UserSpendService: Service {
    let store: UsageStore
    let collector: UserSpendExposition
    let clock: any WallClock
    let calendar: ReportingCalendar
    let refresh: Duration
    let logger: Logger
    let gate: StartupGate

    func run() async throws {
        await afterStartup(gate) { [store, collector, clock, calendar, refresh, logger] in
            await every(refresh) {
                do {
                    collector.update(try SpendSummary.compute(from: store, now: clock.now(), calendar: calendar))
                } catch {
                    logger.error("computing per-user spend failed; tokenwarden_user_spend keeps its previous values: \(error)")
                }
            }
        }
    }
}
