import Synchronization
import WardenCore
import WardenFormats

/// The prices in force, replaced whole by a reload.
///
/// Ingest takes ``pricer`` once per batch and prices the whole batch with it, so every event is
/// priced by one complete catalog: the one before a reload or the one after, never a mix. A reload
/// reads and validates every pricing file first (``prepare()``); only a catalog that loaded without
/// an error is swapped in (``install(_:)``), so a broken file changes nothing.
public final class LivePricing: Sendable {
    private let current: Mutex<State>
    /// Reads the pricing files again (the same files and order as at start).
    private let load: @Sendable () -> PricingDirectory.Loaded

    private struct State {
        var pricer: UsagePricer
        var digests: [String: String]
    }

    public init(pricer: UsagePricer, digests: [String: String],
                load: @escaping @Sendable () -> PricingDirectory.Loaded) {
        current = Mutex(State(pricer: pricer, digests: digests))
        self.load = load
    }

    /// The pricer in force now; hold on to it for a whole batch.
    public var pricer: UsagePricer { current.withLock { $0.pricer } }

    /// The catalog in force now.
    public var catalog: PriceCatalog { pricer.catalog }

    /// A catalog read and validated, not yet in force.
    public struct Prepared: Sendable {
        public var catalog: PriceCatalog
        public var digests: [String: String]
        public var warnings: [String]
    }

    /// Reads every pricing file; every error as `file:line:col: message`, or the catalog they make.
    public func prepare() -> Result<Prepared, PrepareFailure> {
        let loaded = load()
        if !loaded.errors.isEmpty { return .failure(PrepareFailure(messages: loaded.errors)) }
        if loaded.files.isEmpty {
            return .failure(PrepareFailure(messages: ["no pricing files found (every event would be an unknown model)"]))
        }
        return .success(Prepared(catalog: loaded.catalog, digests: loaded.digests, warnings: loaded.warnings))
    }

    public struct PrepareFailure: Error, Sendable {
        public var messages: [String]
    }

    /// Puts `prepared` in force; returns the digests of the files it replaced, by path.
    @discardableResult
    public func install(_ prepared: Prepared) -> [String: String] {
        current.withLock { state in
            let previous = state.digests
            state.pricer = UsagePricer(catalog: prepared.catalog, unknownModels: state.pricer.unknownModels,
                                       defaultCurrency: state.pricer.defaultCurrency)
            state.digests = prepared.digests
            return previous
        }
    }
}
