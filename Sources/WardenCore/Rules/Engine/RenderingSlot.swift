import Synchronization

/// A place for what a presentation layer derives once from an engine object and keeps with it:
/// a reason subject's response members, a plan's `RateLimit-Policy` field, a quota's quoted name.
///
/// Why: the check path answers with the same texts again and again (a budget instance's rule and
/// labels, a plan's quota policies), and rendering them per check cost more than the decision.
/// The engine knows nothing of formats, so it keeps only the slot; whoever writes the response
/// fills it on first use and reads it after. Filled at most once (the first value published
/// wins; a racing writer's value is dropped), then read without a lock.
public final class RenderingSlot: Sendable {
    /// The kept object's address (retained once, by the slot), or 0 while empty.
    private let storage = Atomic<UInt>(0)

    public init() {}

    deinit {
        if let pointer = UnsafeRawPointer(bitPattern: storage.load(ordering: .acquiring)) {
            Unmanaged<AnyObject>.fromOpaque(pointer).release()
        }
    }

    /// The kept value, made by `make` the first time. Every caller of one slot must ask for the
    /// same type.
    @inline(__always)
    public func value<Kept: AnyObject & Sendable>(orMake make: () -> Kept) -> Kept {
        if let pointer = UnsafeRawPointer(bitPattern: storage.load(ordering: .acquiring)) {
            return Unmanaged<Kept>.fromOpaque(pointer).takeUnretainedValue()
        }
        return publish(make())
    }

    /// Runs `body` on the kept value (made by `make` the first time) without retaining it: the
    /// slot holds the value for as long as the slot lives, and the check path reads several slots
    /// per reason and per quota, where a retain and release each showed in `/v1/check` profiles.
    /// `body` must not let the value escape.
    @inline(__always)
    public func withValue<Kept: AnyObject & Sendable, Result>(orMake make: () -> Kept, _ body: (Kept) -> Result) -> Result {
        let pointer = UnsafeRawPointer(bitPattern: storage.load(ordering: .acquiring))
            ?? UnsafeRawPointer(Unmanaged.passUnretained(publish(make())).toOpaque())
        return Unmanaged<Kept>.fromOpaque(pointer)._withUnsafeGuaranteedRef(body)
    }

    private func publish<Kept: AnyObject & Sendable>(_ made: Kept) -> Kept {
        let pointer = Unmanaged.passRetained(made).toOpaque()
        let (exchanged, current) = storage.compareExchange(expected: 0, desired: UInt(bitPattern: pointer),
                                                           successOrdering: .acquiringAndReleasing, failureOrdering: .acquiring)
        if exchanged { return made }
        Unmanaged<Kept>.fromOpaque(pointer).release()
        return Unmanaged<Kept>.fromOpaque(UnsafeRawPointer(bitPattern: current)!).takeUnretainedValue()
    }
}
