import WardenCore

/// The object members a reader will look at, by dotted path, so that ``JSONParser`` can validate
/// every other member and keep nothing of it.
///
/// Why: a LiteLLM standard logging payload is about 14 KB, most of it the model's cost-map entry,
/// and the decoder reads some fifteen fields of it. Writing a tape entry for each of the hundreds
/// of values nobody reads, in a tape sized for the whole body, cost more than checking them.
/// A skipped member is still checked exactly as a kept one (the same errors at the same offsets),
/// so a body is accepted or refused as it would be when parsed whole.
///
/// A selection is a tree of member names. Objects at a selected place keep only the members named
/// under it, in document order and with duplicates; everything below a name with nothing under
/// it is kept whole; arrays keep every element, each read with the selection of
/// ``Place/elements``.
struct JSONFieldSelection: Sendable {
    /// A place in the tree; ``whole`` keeps a value and everything inside it.
    struct Place: Sendable, Equatable {
        let index: UInt32
        static let whole = Place(index: 0)
        var keepsWhole: Bool { index == 0 }
    }

    private struct Node: Sendable {
        var names: [[UInt8]] = []
        var children: [Place] = []
        var elements = Place.whole
    }

    private var nodes: [Node] = [Node()]

    /// The place of the top-level value.
    let root: Place

    /// Selects `paths` (each a list of member names from the top) in a top-level object, or in
    /// each object of a top-level array.
    init(objectOrArrayOfObjects paths: [[[UInt8]]]) {
        nodes.append(Node())
        root = Place(index: 1)
        nodes[1].elements = root
        for path in paths where !path.isEmpty {
            var place = root
            for name in path {
                place = child(of: place, named: name)
            }
        }
        // A name with nothing under it keeps its value whole.
        for node in nodes.indices {
            for member in nodes[node].children.indices where nodes[Int(nodes[node].children[member].index)].names.isEmpty {
                nodes[node].children[member] = .whole
            }
        }
    }

    private mutating func child(of place: Place, named name: [UInt8]) -> Place {
        let node = Int(place.index)
        if let found = nodes[node].names.firstIndex(of: name) { return nodes[node].children[found] }
        let added = Place(index: UInt32(nodes.count))
        nodes.append(Node())
        nodes[node].names.append(name)
        nodes[node].children.append(added)
        return added
    }

    /// What is kept of the elements of an array at `place`.
    @inline(__always)
    func elements(of place: Place) -> Place {
        place.keepsWhole ? .whole : nodes[Int(place.index)].elements
    }

    /// The place of the member `name` of an object at `place` (its UTF-8, unescaped), or `nil`
    /// when the member is not selected.
    func member(_ name: UnsafeBufferPointer<UInt8>, of place: Place) -> Place? {
        if place.keepsWhole { return .whole }
        // Read in place: copying the node out retained and released its arrays for every member.
        return nodes.withUnsafeBufferPointer { nodes in
            let node = nodes.baseAddress! + Int(place.index)
            return node.pointee.names.withUnsafeBufferPointer { names in
                for index in names.indices where names[index].count == name.count {
                    let same = names[index].withUnsafeBufferPointer { candidate in
                        name.isEmpty || JSONBytes.equal(candidate.baseAddress!, name.baseAddress!, count: name.count)
                    }
                    if same { return node.pointee.children[index] }
                }
                return nil
            }
        }
    }
}
