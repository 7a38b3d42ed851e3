/// Every known price, indexed for the per-event lookup.
///
/// Built once from the loaded pricing files' entries and aliases, then read concurrently: it is
/// an immutable value, so a reload builds a new catalog and swaps it in whole.
///
/// ## Lookup
///
/// ``lookup(provider:model:at:)`` tries, in order, and the first rule that knows the name decides:
///
/// 1. **Provider and model**: an entry whose provider and model are exactly the event's.
/// 2. **Model name**: an entry whose model is the event's model, when that name is priced under
///    one provider only. A name priced under several providers never matches by name alone
///    (no provider is silently preferred); price those with rule 1, 3 or an alias.
/// 3. **Provider prefix**: the event's model with its `provider/` prefix removed (when it starts
///    with the event's provider and a slash) or added (otherwise), looked up by rules 1 then 2.
///    So `(gemini, gemini-2.5-pro)` can find `gemini/gemini-2.5-pro` and `(openai, openai/gpt-4o)`
///    finds `gpt-4o`.
/// 4. **Alias**: the event's model is a configured alias; its target is found by rules 1–3.
///
/// Names are compared exactly (case and punctuation matter). A dated snapshot is never guessed
/// from its undated name: `gpt-4o-2024-05-13` is unknown unless it is priced or aliased.
///
/// Among the versions of the entry found, the one with the latest `effective_from` at or before
/// the event's time applies (prices are in force from 00:00 UTC of that date). An event earlier
/// than the first version has no price, even if another rule would have found another entry.
///
/// Performance (this runs per event): rules 1 and 2 share one dictionary look-up of the event's
/// model followed by a scan of the few providers pricing that name, and return a reference to a
/// prebuilt entry, so a hit builds no string and allocates nothing. Rule 3 builds one string,
/// only after rules 1 and 2 missed; rule 4 is one more look-up.
public struct PriceCatalog: Sendable {
    /// Every entry after overrides, ordered by provider, model and effective date.
    public let entries: [PriceEntry]
    /// Every alias after overrides, ordered by alias.
    public let aliases: [ModelAlias]
    /// Problems found while building: aliases whose target is not priced, each as
    /// `file:line:col: warning: message` like a file's own warnings.
    public let warnings: [String]

    /// Model name → the providers pricing it, each with its versions. One hash of the event's
    /// model answers both rule 1 (scan the few providers for the event's) and rule 2 (exactly one).
    private let byModel: [String: [Versions]]
    private let byAlias: [String: Versions]

    /// The versions of one (provider, model), oldest first.
    private struct Versions: Sendable {
        var provider: String
        var versions: [PricedVersion]

        /// The version in force at `time`: the last one that starts at or before it.
        @inline(__always)
        func version(at time: Timestamp) -> PricedVersion? {
            var index = versions.count - 1
            while index >= 0 {
                if versions[index].start <= time.nanosecondsSinceEpoch { return versions[index] }
                index -= 1
            }
            return nil
        }
    }

    /// A catalog from entries and aliases; a later entry replaces an earlier one with the same
    /// provider, model and `effective_from`, a later alias an earlier one with the same name.
    public init(entries: [PriceEntry], aliases: [ModelAlias] = []) {
        struct VersionKey: Hashable {
            var provider: String
            var model: String
            var effectiveFrom: CivilDate?
        }
        var latest: [VersionKey: PriceEntry] = [:]
        for entry in entries {
            latest[VersionKey(provider: entry.provider, model: entry.model, effectiveFrom: entry.effectiveFrom)] = entry
        }
        let ordered = latest.values.sorted {
            ($0.provider, $0.model, $0.effectiveFromTime.nanosecondsSinceEpoch)
                < ($1.provider, $1.model, $1.effectiveFromTime.nanosecondsSinceEpoch)
        }

        var byModel: [String: [Versions]] = [:]
        for entry in ordered {  // by provider, then oldest first, as sorted
            var providers = byModel[entry.model] ?? []
            if providers.last?.provider == entry.provider {
                providers[providers.count - 1].versions.append(PricedVersion(entry))
            } else {
                providers.append(Versions(provider: entry.provider, versions: [PricedVersion(entry)]))
            }
            byModel[entry.model] = providers
        }

        var aliasByName: [String: ModelAlias] = [:]
        for alias in aliases { aliasByName[alias.alias] = alias }
        let orderedAliases = aliasByName.values.sorted { $0.alias < $1.alias }

        self.entries = ordered
        self.aliases = orderedAliases
        self.byModel = byModel

        var byAlias: [String: Versions] = [:]
        var warnings: [String] = []
        for alias in orderedAliases {
            if let (versions, _) = Self.resolve(provider: alias.provider, model: alias.model, in: byModel) {
                byAlias[alias.alias] = versions
            } else {
                let place = alias.source.map { "\($0): " } ?? ""
                warnings.append("\(place)warning: alias '\(alias.alias)' points to \(alias.provider)/\(alias.model), which has no price")
            }
        }
        self.byAlias = byAlias
        self.warnings = warnings
    }

    /// Every currency some entry is priced in.
    public var currencies: Set<String> { Set(entries.map(\.currency)) }

    /// The price in force for a call to `model` of `provider` at `time`, or `nil` when the
    /// model is unknown or not yet priced at that time (see the lookup rules above).
    public func lookup(provider: String, model: String, at time: Timestamp) -> PriceMatch? {
        let found: (Versions, PriceMatch.Rule)
        if let hit = Self.resolve(provider: provider, model: model, in: byModel) {
            found = hit
        } else if let versions = byAlias[model] {
            found = (versions, .alias)
        } else {
            return nil
        }
        guard let version = found.0.version(at: time) else { return nil }
        return PriceMatch(version: version, rule: found.1)
    }

    /// Rules 1–3 of the lookup.
    private static func resolve(
        provider: String, model: String, in byModel: [String: [Versions]]
    ) -> (Versions, PriceMatch.Rule)? {
        if let providers = byModel[model] {
            for versions in providers where versions.provider == provider { return (versions, .exactPair) }
            if providers.count == 1 { return (providers[0], .modelName) }
        }
        guard let variant = prefixVariant(provider: provider, model: model), let providers = byModel[variant] else {
            return nil
        }
        for versions in providers where versions.provider == provider { return (versions, .providerPrefix) }
        return providers.count == 1 ? (providers[0], .providerPrefix) : nil
    }

    /// `model` without its leading `provider/`, or with it added when it is not there.
    static func prefixVariant(provider: String, model: String) -> String? {
        guard !provider.isEmpty else { return nil }
        let providerBytes = provider.utf8
        let modelBytes = model.utf8
        if modelBytes.count > providerBytes.count && modelBytes.starts(with: providerBytes) {
            let slash = modelBytes.index(modelBytes.startIndex, offsetBy: providerBytes.count)
            if modelBytes[slash] == UInt8(ascii: "/") {
                return String(model[modelBytes.index(after: slash)...])
            }
        }
        return provider + "/" + model
    }
}
