/// The NFA of a ``PatternProgram`` with its empty moves resolved ahead of time, so that a set of
/// live states is a few 64-bit words and a step is a handful of `and`s and `or`s.
///
/// Why: the plain simulation (`PatternProgram+Match.swift`) follows every jump and split again
/// at every position, 15–35 ns per scalar (measured, release build, x86-64); here a step costs
/// 3–8 ns, so a general pattern takes tens of nanoseconds on a model name and 1–2 µs on a
/// 256-byte value. Built only for programs of at most ``maximumStates`` consuming instructions
/// (the tables grow with its square); larger programs use the plain simulation, which gives the
/// same answers.
///
/// The states are the program's consuming instructions (a scalar, a set, any scalar). Anchors
/// resolve by position: `^` holds only before the first scalar, so it is followed only from the
/// start; `$` holds only after the last, so it is followed only into the final check.
struct StateBitsets: Sendable {
    static let maximumStates = 256

    /// Words per state set: 1, or 4 for more than 64 states.
    let words: Int
    /// The instruction of each state.
    let instructions: [Int]
    /// The states live before the first scalar of a non-empty value.
    let start: [UInt64]
    /// Whether the empty value matches.
    let matchesEmpty: Bool
    /// The states after which the value may end: each reaches `match` once its scalar is consumed.
    let final: [UInt64]
    /// `follow[s * words ..< (s + 1) * words]`: the states live after state `s` consumed a scalar
    /// that is not the value's last.
    let follow: [UInt64]
    /// `ascii[c * words ..< (c + 1) * words]`: the states that accept the ASCII scalar `c`.
    let ascii: [UInt64]

    /// Nil when the program has more than ``maximumStates`` consuming instructions.
    init?(_ code: [PatternProgram.Instruction], accepts: (_ counter: Int, _ scalar: UInt32) -> Bool) {
        var stateOf = [Int](repeating: -1, count: code.count)
        var instructions: [Int] = []
        for (counter, instruction) in code.enumerated() {
            switch instruction.operation {
            case .scalar, .set, .any:
                stateOf[counter] = instructions.count
                instructions.append(counter)
            default:
                continue
            }
        }
        guard instructions.count <= Self.maximumStates else { return nil }
        // One register-sized word, or four (one SIMD vector) for more than 64 states.
        let words = instructions.count <= 64 ? 1 : 4
        self.words = words
        self.instructions = instructions

        /// The states reachable from `counter` without consuming, and whether `match` is.
        func closure(from counter: Int, atStart: Bool, atEnd: Bool) -> (states: [UInt64], reachesMatch: Bool) {
            var states = [UInt64](repeating: 0, count: words)
            var reachesMatch = false
            var seen = [Bool](repeating: false, count: code.count)
            var pending = [counter]
            while let next = pending.popLast() {
                guard !seen[next] else { continue }
                seen[next] = true
                let instruction = code[next]
                switch instruction.operation {
                case .jump: pending.append(Int(instruction.x))
                case .split: pending += [Int(instruction.y), Int(instruction.x)]
                case .start: if atStart { pending.append(next + 1) }
                case .end: if atEnd { pending.append(next + 1) }
                case .match: reachesMatch = true
                case .scalar, .set, .any:
                    let state = stateOf[next]
                    states[state / 64] |= 1 << UInt64(state % 64)
                }
            }
            return (states, reachesMatch)
        }

        start = closure(from: 0, atStart: true, atEnd: false).states
        matchesEmpty = closure(from: 0, atStart: true, atEnd: true).reachesMatch
        var final = [UInt64](repeating: 0, count: words)
        var follow: [UInt64] = []
        var ascii = [UInt64](repeating: 0, count: 128 * words)
        for (state, counter) in instructions.enumerated() {
            follow += closure(from: counter + 1, atStart: false, atEnd: false).states
            if closure(from: counter + 1, atStart: false, atEnd: true).reachesMatch {
                final[state / 64] |= 1 << UInt64(state % 64)
            }
            for scalar in UInt32(0)..<128 where accepts(counter, scalar) {
                ascii[Int(scalar) * words + state / 64] |= 1 << UInt64(state % 64)
            }
        }
        self.final = final
        self.follow = follow
        self.ascii = ascii
    }

    /// Whether all of `value` (valid UTF-8) matches; `work` grows by one per state stepped
    /// through, plus one per scalar.
    func matches(_ value: UnsafeBufferPointer<UInt8>, program: PatternProgram, work: inout Int) -> Bool {
        if value.isEmpty { return matchesEmpty }
        return words == 1 ? matchesInOneWord(value, program: program, work: &work)
            : matchesInFourWords(value, program: program, work: &work)
    }

    /// For 65 to 256 states: each state set is one `SIMD4<UInt64>`, in registers.
    private func matchesInFourWords(_ value: UnsafeBufferPointer<UInt8>, program: PatternProgram, work: inout Int) -> Bool {
        typealias Set4 = SIMD4<UInt64>
        func load(_ table: UnsafeBufferPointer<UInt64>, row: Int) -> Set4 {
            UnsafeRawPointer(table.baseAddress! + 4 * row).loadUnaligned(as: Set4.self)
        }
        return follow.withUnsafeBufferPointer { follow in
            ascii.withUnsafeBufferPointer { ascii in
                let final = Set4(final[0], final[1], final[2], final[3])
                var current = Set4(start[0], start[1], start[2], start[3])
                var position = 0
                var steps = 0
                defer { work += steps }
                while true {
                    let scalar = Self.next(value, at: &position)
                    steps &+= 1
                    var live: Set4
                    if scalar < 128 {
                        live = current & load(ascii, row: Int(scalar))
                    } else {
                        live = .zero
                        for word in 0..<4 {
                            var bits = current[word]
                            while bits != 0 {
                                let bit = bits.trailingZeroBitCount
                                bits &= bits &- 1
                                if program.accepts(instructions[word * 64 + bit], scalar) { live[word] |= 1 << UInt64(bit) }
                            }
                        }
                    }
                    if position == value.count { return (live & final) != .zero }
                    var next = Set4.zero
                    for word in 0..<4 {
                        var bits = live[word]
                        while bits != 0 {
                            next |= load(follow, row: word * 64 + bits.trailingZeroBitCount)
                            bits &= bits &- 1
                            steps &+= 1
                        }
                    }
                    if next == .zero { return false }
                    current = next
                }
            }
        }
    }

    /// The same for at most 64 states, with every state set in a register: most patterns.
    private func matchesInOneWord(_ value: UnsafeBufferPointer<UInt8>, program: PatternProgram, work: inout Int) -> Bool {
        let final = self.final[0]
        var current = start[0]
        return follow.withUnsafeBufferPointer { follow in
            ascii.withUnsafeBufferPointer { ascii in
                var position = 0
                var steps = 0
                defer { work += steps }
                while true {
                    let scalar = Self.next(value, at: &position)
                    steps &+= 1
                    var live: UInt64
                    if scalar < 128 {
                        live = current & ascii[Int(scalar)]
                    } else {
                        live = 0
                        var bits = current
                        while bits != 0 {
                            let bit = bits.trailingZeroBitCount
                            bits &= bits &- 1
                            if program.accepts(instructions[bit], scalar) { live |= 1 << UInt64(bit) }
                        }
                    }
                    if position == value.count { return live & final != 0 }
                    var next: UInt64 = 0
                    while live != 0 {
                        next |= follow[live.trailingZeroBitCount]
                        live &= live &- 1
                        steps &+= 1
                    }
                    if next == 0 { return false }
                    current = next
                }
            }
        }
    }

    /// The scalar at `position`, which moves past it; ASCII without a call.
    @inline(__always)
    private static func next(_ value: UnsafeBufferPointer<UInt8>, at position: inout Int) -> UInt32 {
        let byte = value[position]
        if byte < 0x80 {
            position &+= 1
            return UInt32(byte)
        }
        return PatternProgram.decode(value, at: &position)
    }
}
