import WardenCore
import Yams

/// Reads TokenWarden's own pricing format (see ``PricingFileLoader`` for the syntax) strictly:
/// an unknown key, a value of the wrong type, a negative price or a bad date is an error at its
/// line and column, and every error in the file is reported, not only the first.
///
/// Prices are read from the scalar's text, whether the author quoted it (`"2.50"`) or not
/// (`2.50`): YAML never turns it into a float on the way.
struct PricingYAMLReader {
    let fileName: String
    private(set) var errors: [PricingFileError] = []
    private(set) var warnings: [ConfigWarning] = []
    private(set) var entries: [PriceEntry] = []
    private(set) var aliases: [ModelAlias] = []

    init(fileName: String) { self.fileName = fileName }

    static let topLevelKeys = ["currency", "models", "aliases"]
    static let modelKeys = ["provider", "model", "currency", "effective_from", "prices", "tiers"]
    static let priceKeys = ["per", "input", "output", "cache_read", "cache_creation", "reasoning"]
    static let tierKeys = ["above_input_tokens"] + priceKeys
    static let aliasKeys = ["alias", "provider", "model"]

    mutating func read(_ text: String) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            errors.append(yamlError(error))
            return
        } catch {
            errors.append(PricingFileError(file: fileName, line: 1, column: 1, message: "cannot read YAML: \(error)"))
            return
        }
        guard let root else {
            errors.append(PricingFileError(
                file: fileName, line: 1, column: 1, message: "the file is empty; expected a mapping with 'models:'"))
            return
        }
        guard let top = mapping(root, what: "the pricing file", allowed: Self.topLevelKeys) else { return }

        var currency = "USD"
        if let node = top["currency"], let code = currencyCode(node) { currency = code }
        if let node = top["models"], let list = sequence(node, what: "'models'") {
            var firstSeen: [String: PricingFileLocation] = [:]
            for item in list {
                guard let entry = modelEntry(item, defaultCurrency: currency) else { continue }
                let identity = "\(entry.provider)\u{0}\(entry.model)\u{0}\(entry.effectiveFrom.map(Self.dateText) ?? "")"
                let here = location(item)
                if let first = firstSeen[identity] {
                    let since = entry.effectiveFrom.map { " effective from \(Self.dateText($0))" } ?? ""
                    error(here, "duplicate price for \(entry.provider)/\(entry.model)\(since) (first given at line \(first.line))")
                    continue
                }
                firstSeen[identity] = here
                entries.append(entry)
            }
        }
        if let node = top["aliases"], let list = sequence(node, what: "'aliases'") {
            var firstSeen: [String: PricingFileLocation] = [:]
            for item in list {
                guard let alias = aliasEntry(item) else { continue }
                if let first = firstSeen[alias.alias] {
                    error(location(item), "duplicate alias '\(alias.alias)' (first given at line \(first.line))")
                    continue
                }
                firstSeen[alias.alias] = location(item)
                aliases.append(alias)
            }
        }
    }

    // MARK: - Entries

    private mutating func modelEntry(_ node: Node, defaultCurrency: String) -> PriceEntry? {
        guard let fields = mapping(node, what: "a model entry", allowed: Self.modelKeys) else { return nil }
        let errorCount = errors.count
        let provider = required(fields, "provider", in: node, what: "a model entry").flatMap { name($0, key: "provider") }
        let model = required(fields, "model", in: node, what: "a model entry").flatMap { name($0, key: "model") }
        var currency = defaultCurrency
        if let node = fields["currency"], let code = currencyCode(node) { currency = code }
        let effectiveFrom = fields["effective_from"].flatMap { date($0) }
        var base: TokenPrices?
        var unit = PriceUnit.token
        if let pricesNode = required(fields, "prices", in: node, what: "a model entry") {
            if let (prices, pricesUnit) = priceSet(pricesNode, allowed: Self.priceKeys, inheritedUnit: nil, what: "'prices'") {
                unit = pricesUnit
                base = prices
            }
            if case .mapping(let given) = pricesNode {
                // Only when absent: a present but invalid price already has its own error.
                for key in ["input", "output"] where given[key] == nil {
                    error(location(pricesNode), "'prices' is missing '\(key)'")
                }
            }
        }
        var tiers: [PriceTier] = []
        if let tiersNode = fields["tiers"], let list = sequence(tiersNode, what: "'tiers'") {
            var seen: [Int64: Int] = [:]
            for item in list {
                guard let tier = tier(item, inheritedUnit: unit) else { continue }
                if let line = seen[tier.aboveInputTokens] {
                    error(location(item), "duplicate tier above \(tier.aboveInputTokens) input tokens (first given at line \(line))")
                    continue
                }
                seen[tier.aboveInputTokens] = location(item).line
                tiers.append(tier)
            }
        }
        guard errors.count == errorCount, let provider, let model, let base,
            let price = ModelPrice(base: base, tiers: tiers)
        else { return nil }
        return PriceEntry(
            provider: provider, model: model, effectiveFrom: effectiveFrom, currency: currency,
            price: price, source: location(node))
    }

    private mutating func tier(_ node: Node, inheritedUnit: PriceUnit) -> PriceTier? {
        guard let fields = mapping(node, what: "a tier", allowed: Self.tierKeys) else { return nil }
        let threshold = required(fields, "above_input_tokens", in: node, what: "a tier").flatMap { tokenCount($0) }
        let filtered = fields.filter { $0.key != "above_input_tokens" }
        guard let (prices, _) = priceSet(node, fields: filtered, inheritedUnit: inheritedUnit, what: "a tier") else {
            return nil
        }
        if prices.isEmpty {
            error(location(node), "a tier must give at least one price (input, output, cache_read, cache_creation or reasoning)")
            return nil
        }
        guard let threshold else { return nil }
        return PriceTier(aboveInputTokens: threshold, prices: prices)
    }

    private mutating func aliasEntry(_ node: Node) -> ModelAlias? {
        guard let fields = mapping(node, what: "an alias", allowed: Self.aliasKeys) else { return nil }
        let alias = required(fields, "alias", in: node, what: "an alias").flatMap { name($0, key: "alias") }
        let provider = required(fields, "provider", in: node, what: "an alias").flatMap { name($0, key: "provider") }
        let model = required(fields, "model", in: node, what: "an alias").flatMap { name($0, key: "model") }
        guard let alias, let provider, let model else { return nil }
        return ModelAlias(alias: alias, provider: provider, model: model, source: location(node))
    }

    // MARK: - Prices

    private mutating func priceSet(
        _ node: Node, allowed: [String], inheritedUnit: PriceUnit?, what: String
    ) -> (TokenPrices, PriceUnit)? {
        guard let fields = mapping(node, what: what, allowed: allowed) else { return nil }
        return priceSet(node, fields: fields, inheritedUnit: inheritedUnit, what: what)
    }

    /// Reads `per` and the five bucket prices from already-checked fields.
    private mutating func priceSet(
        _ node: Node, fields: Fields, inheritedUnit: PriceUnit?, what: String
    ) -> (TokenPrices, PriceUnit)? {
        var unit: PriceUnit?
        if let perNode = fields["per"] {
            guard let text = scalarText(perNode, key: "per") else { return nil }
            guard let parsed = PriceUnit(rawValue: text) else {
                error(location(perNode), "'per' must be 'token' or 'million', not '\(text)'")
                return nil
            }
            unit = parsed
        } else if let inheritedUnit {
            unit = inheritedUnit
        } else {
            error(location(node), "\(what) is missing 'per' (token or million): say which unit the prices are in")
            return nil
        }
        guard let unit else { return nil }
        var prices = TokenPrices()
        prices.input = fields["input"].flatMap { price($0, unit: unit, key: "input") }
        prices.output = fields["output"].flatMap { price($0, unit: unit, key: "output") }
        prices.cacheRead = fields["cache_read"].flatMap { price($0, unit: unit, key: "cache_read") }
        prices.cacheCreation = fields["cache_creation"].flatMap { price($0, unit: unit, key: "cache_creation") }
        prices.reasoning = fields["reasoning"].flatMap { price($0, unit: unit, key: "reasoning") }
        return (prices, unit)
    }

    private mutating func price(_ node: Node, unit: PriceUnit, key: String) -> Money? {
        guard let text = scalarText(node, key: key) else { return nil }
        let result: Money.ParseResult
        do {
            result = try unit.perTokenPrice(fromText: text)
        } catch {
            self.error(location(node), "'\(key)' must be a decimal price such as \"2.50\", not '\(text)' (\(error))")
            return nil
        }
        if result.money < .zero {
            error(location(node), "'\(key)' is negative (\(text)); prices must be zero or more")
            return nil
        }
        if result.wasRounded {
            let given = unit == .token ? "\(text)" : "\(text) per million"
            warnings.append(ConfigWarning(
                location(node),
                "'\(key)' \(given) has more than 18 decimals per token; rounded to \(result.money.exactDecimal) per token"))
        }
        return result.money
    }

    // MARK: - Scalars

    private mutating func name(_ node: Node, key: String) -> String? {
        guard let text = scalarText(node, key: key) else { return nil }
        if text.isEmpty || text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            error(location(node), "'\(key)' must be a non-empty name without control characters")
            return nil
        }
        return text
    }

    private mutating func currencyCode(_ node: Node) -> String? {
        guard let text = scalarText(node, key: "currency") else { return nil }
        guard text.utf8.count == 3, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            error(location(node), "'currency' must be an ISO 4217 code such as USD, not '\(text)'")
            return nil
        }
        return text
    }

    private mutating func date(_ node: Node) -> CivilDate? {
        guard let text = scalarText(node, key: "effective_from") else { return nil }
        guard let date = Self.parseDate(text) else {
            error(location(node), "'effective_from' must be a date YYYY-MM-DD, not '\(text)'")
            return nil
        }
        return date
    }

    private mutating func tokenCount(_ node: Node) -> Int64? {
        guard let text = scalarText(node, key: "above_input_tokens") else { return nil }
        let digits = text.filter { $0 != "_" }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int64(digits)
        else {
            error(location(node), "'above_input_tokens' must be a whole number of tokens, not '\(text)'")
            return nil
        }
        return value
    }

    /// The text of a scalar that is not null; an error for a mapping, a sequence or a null.
    private mutating func scalarText(_ node: Node, key: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(location(node), "'\(key)' must be a single value, not \(Self.kindName(node))")
            return nil
        }
        if scalar.style == .plain || scalar.style == .any, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            error(location(node), "'\(key)' has no value")
            return nil
        }
        return scalar.string
    }

    static func parseDate(_ text: String) -> CivilDate? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= 48 && bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    static func dateText(_ date: CivilDate) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
    }

    // MARK: - Structure

    /// A mapping's entries by key, in file order, with the key's node for locations.
    struct Fields {
        var pairs: [(key: String, keyNode: Node, value: Node)]
        subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }
        func filter(_ isIncluded: ((key: String, keyNode: Node, value: Node)) -> Bool) -> Fields {
            Fields(pairs: pairs.filter(isIncluded))
        }
    }

    private mutating func mapping(_ node: Node, what: String, allowed: [String]) -> Fields? {
        guard case .mapping(let mapping) = node else {
            error(location(node), "\(what) must be a mapping (key: value), not \(Self.kindName(node))")
            return nil
        }
        var fields = Fields(pairs: [])
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                error(location(keyNode), "keys in \(what) must be names, not \(Self.kindName(keyNode))")
                continue
            }
            guard allowed.contains(key.string) else {
                error(location(keyNode), "unknown key '\(key.string)' in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
                continue
            }
            fields.pairs.append((key.string, keyNode, value))
        }
        return fields
    }

    private mutating func sequence(_ node: Node, what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(location(node), "\(what) must be a list (- item), not \(Self.kindName(node))")
            return nil
        }
        return Array(sequence)
    }

    private mutating func required(_ fields: Fields, _ key: String, in node: Node, what: String) -> Node? {
        guard let value = fields[key] else {
            error(location(node), "\(what) is missing '\(key)'")
            return nil
        }
        return value
    }

    private static func kindName(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "the value '\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private func location(_ node: Node) -> PricingFileLocation {
        let mark = node.mark
        return PricingFileLocation(file: fileName, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private mutating func error(_ location: PricingFileLocation, _ message: String) {
        errors.append(PricingFileError(location, message))
    }

    private func yamlError(_ error: YamlError) -> PricingFileError {
        func at(_ mark: Mark, _ message: String) -> PricingFileError {
            PricingFileError(file: fileName, line: mark.line, column: mark.column, message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return at(mark, "invalid YAML: \(problem)\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return at(context.mark, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping")
        case .reader(let problem, let offset, _, _):
            return PricingFileError(
                file: fileName, line: 1, column: 1,
                message: "cannot read the file: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return PricingFileError(file: fileName, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}
