/// Who made an LLM call: string labels such as `org`, `team`, `project`, `user`, `agent`.
///
/// Kept sorted by key so that two events with the same labels compare and hash equal whatever
/// order the client sent them in, and so that series keys render deterministically.
public struct Attribution: Sendable, Hashable {
    public struct Label: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var labels: [Label]

    public init() { labels = [] }

    /// Later duplicates of a key replace earlier ones.
    public init(_ pairs: [(String, String)]) {
        labels = []
        for (key, value) in pairs { self[key] = value }
    }

    public init(_ dictionary: [String: String]) {
        labels = dictionary.map { Label(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }

    /// The values alone (and their count): equal attributions have equal values, and the check
    /// path hashes an attribution per request to find its cached plan, so the keys, which
    /// rarely tell two attributions apart, are not hashed too.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels.count)
        for label in labels { hasher.combine(label.value) }
    }

    public subscript(key: String) -> String? {
        get { labels.first(where: { $0.key == key })?.value }
        set {
            // Fast path: clients usually send keys in a stable order, often sorted; a key that
            // sorts after every present key cannot replace one, so it is appended directly.
            if let newValue, labels.last.map({ $0.key < key }) ?? true {
                labels.append(Label(key: key, value: newValue))
                return
            }
            if let index = labels.firstIndex(where: { $0.key == key }) {
                if let newValue { labels[index].value = newValue } else { labels.remove(at: index) }
            } else if let newValue {
                let insertAt = labels.firstIndex(where: { $0.key > key }) ?? labels.endIndex
                labels.insert(Label(key: key, value: newValue), at: insertAt)
            }
        }
    }

    public var isEmpty: Bool { labels.isEmpty }
}
