/// Running a ``PatternProgram``: Thompson's simulation, one set of live states per position.
///
/// Why this and not backtracking: a backtracking matcher (Swift's `Regex`, PCRE) may try every
/// way of splitting the value between nested quantifiers, so `(a+)+$` against 30 `a`s and a `!`
/// takes minutes. Here each instruction enters the set of a position at most once, so a value of
/// `n` scalars costs at most `(n + 1) × instructions.count` steps, whatever the pattern.
///
/// Scratch space (the two state lists, the per-instruction marks and the closure stack) comes
/// from `withUnsafeTemporaryAllocation`, on the stack for any pattern of a normal size, so a
/// match allocates nothing and the program itself stays immutable. Programs with at most
/// ``StateBitsets/maximumStates`` consuming instructions run the same simulation on precomputed
/// bit sets instead.
extension PatternProgram {
    /// Whether all of `value` (valid UTF-8, as every Swift string is) matches, on the
    /// precomputed ``StateBitsets`` when the program has them.
    ///
    /// - Parameter work: increased by the number of states or instructions visited, for tests
    ///   that check the linear bound without timing anything.
    func matches(_ value: UnsafeBufferPointer<UInt8>, work: inout Int) -> Bool {
        if let bitsets { return bitsets.matches(value, program: self, work: &work) }
        return simulate(value, work: &work)
    }

    /// The simulation itself, which follows the empty moves as it goes.
    func simulate(_ value: UnsafeBufferPointer<UInt8>, work: inout Int) -> Bool {
        let size = instructions.count
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 5 * size + 2) { scratch -> Bool in
            let base = scratch.baseAddress!
            // marks: the generation in which each instruction last entered a list.
            let marks = base
            marks.initialize(repeating: 0, count: size)
            var current = base + size
            var next = base + 2 * size
            let stack = base + 3 * size  // 2 × size + 2: each instruction pushes at most two
            return instructions.withUnsafeBufferPointer { program -> Bool in
                var currentCount = 0
                var generation: UInt32 = 1
                Self.follow(0, program, marks: marks, generation: generation, atStart: true, atEnd: value.isEmpty,
                            into: current, count: &currentCount, stack: stack, work: &work)
                var position = 0
                while position < value.count {
                    guard currentCount > 0 else { return false }
                    let scalar = Self.decode(value, at: &position)
                    let atEnd = position == value.count
                    generation += 1
                    var nextCount = 0
                    for index in 0..<currentCount {
                        let counter = Int(current[index])
                        let instruction = program[counter]
                        work += 1
                        // `match` accepts nothing: scalars are left over.
                        if Self.accepts(instruction, scalar, asciiBits: asciiBits, setRanges: setRanges, setRangeStarts: setRangeStarts) {
                            Self.follow(counter + 1, program, marks: marks, generation: generation, atStart: false, atEnd: atEnd,
                                        into: next, count: &nextCount, stack: stack, work: &work)
                        }
                    }
                    swap(&current, &next)
                    currentCount = nextCount
                }
                for index in 0..<currentCount where program[Int(current[index])].operation == .match {
                    return true
                }
                return false
            }
        }
    }

    /// Adds to `list` every consuming or `match` instruction reachable from `start` without
    /// consuming a scalar, each at most once per `generation`.
    @inline(__always)
    private static func follow(
        _ start: Int, _ program: UnsafeBufferPointer<Instruction>, marks: UnsafeMutablePointer<UInt32>,
        generation: UInt32, atStart: Bool, atEnd: Bool,
        into list: UnsafeMutablePointer<UInt32>, count: inout Int, stack: UnsafeMutablePointer<UInt32>, work: inout Int
    ) {
        stack[0] = UInt32(start)
        var depth = 1
        while depth > 0 {
            depth -= 1
            let counter = Int(stack[depth])
            if marks[counter] == generation { continue }
            marks[counter] = generation
            work += 1
            let instruction = program[counter]
            switch instruction.operation {
            case .jump:
                stack[depth] = instruction.x
                depth += 1
            case .split:
                stack[depth] = instruction.y
                stack[depth + 1] = instruction.x
                depth += 2
            case .start:
                if atStart {
                    stack[depth] = UInt32(counter + 1)
                    depth += 1
                }
            case .end:
                if atEnd {
                    stack[depth] = UInt32(counter + 1)
                    depth += 1
                }
            case .scalar, .set, .any, .match:
                list[count] = UInt32(counter)
                count += 1
            }
        }
    }

    /// The scalar at `position`, which moves past it. Swift strings hold valid UTF-8, so the
    /// continuation bytes are there and well formed.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at position: inout Int) -> UInt32 {
        let lead = UInt32(bytes[position])
        if lead < 0x80 {
            position += 1
            return lead
        }
        if lead < 0xE0 {
            defer { position += 2 }
            return (lead & 0x1F) << 6 | UInt32(bytes[position + 1] & 0x3F)
        }
        if lead < 0xF0 {
            defer { position += 3 }
            return (lead & 0x0F) << 12 | UInt32(bytes[position + 1] & 0x3F) << 6 | UInt32(bytes[position + 2] & 0x3F)
        }
        defer { position += 4 }
        return (lead & 0x07) << 18 | UInt32(bytes[position + 1] & 0x3F) << 12
            | UInt32(bytes[position + 2] & 0x3F) << 6 | UInt32(bytes[position + 3] & 0x3F)
    }
}
