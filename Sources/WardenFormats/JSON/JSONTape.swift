import WardenCore

/// The growable buffer a ``JSONParser`` writes its ``JSONNode``s into.
///
/// Why not `[JSONNode]`: every `Array.append` checks uniqueness (a runtime call) and capacity,
/// and profiles put that at a quarter of parse time. A tape is noncopyable, so it has exactly one
/// owner and needs no uniqueness check, and it frees its memory when its owner is done. Nodes are
/// trivial values, so emptying the tape for reuse is just resetting ``count``.
struct JSONTape: ~Copyable {
    private var base: UnsafeMutablePointer<JSONNode>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 8)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ node: JSONNode) {
        if count == capacity { grow() }
        (base + count).initialize(to: node)
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let larger = UnsafeMutablePointer<JSONNode>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    /// Forgets every node but keeps the memory, for the next value.
    mutating func removeAll() { count = 0 }

    /// Forgets the last node (the name of a member the parser skips).
    mutating func removeLast() {
        precondition(count > 0, "removeLast on an empty tape")
        count -= 1
    }

    subscript(index: Int) -> JSONNode {
        @inline(__always) get {
            precondition(index >= 0 && index < count, "tape index out of range")
            return base[index]
        }
        @inline(__always) set {
            precondition(index >= 0 && index < count, "tape index out of range")
            base[index] = newValue
        }
    }

    /// A copy of the nodes, for a value that outlives the tape (``JSONDocument``).
    var nodes: [JSONNode] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
