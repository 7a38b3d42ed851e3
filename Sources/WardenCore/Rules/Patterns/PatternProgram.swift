/// A pattern compiled to a Thompson NFA: a list of instructions that ``matches(_:work:)`` runs
/// over every possible path at once (see `PatternProgram+Match.swift`), so matching takes time
/// proportional to the value's length times the program's size, whatever the pattern.
///
/// Immutable after `init`, and so shared by every thread that evaluates the rule.
final class PatternProgram: Sendable {
    /// Larger programs are refused when the pattern compiles: one match costs at most this many
    /// steps per scalar of the value.
    static let maximumInstructions = 10_000

    enum Operation: UInt8, Sendable {
        /// Consumes the scalar `x`.
        case scalar
        /// Consumes a scalar of set number `x`.
        case set
        /// Consumes any scalar.
        case any
        /// Continues at both `x` and `y`.
        case split
        /// Continues at `x`.
        case jump
        /// Continues at the next instruction before the first scalar only (`^`).
        case start
        /// Continues at the next instruction after the last scalar only (`$`).
        case end
        /// The whole value matched, if no scalar is left.
        case match
    }

    struct Instruction: Sendable {
        var operation: Operation
        var x: UInt32 = 0
        var y: UInt32 = 0
    }

    let instructions: [Instruction]
    /// Per set: bit `v` of word `2i + v / 64` says whether ASCII scalar `v` is a member, so an
    /// ASCII value is tested without searching ranges.
    let asciiBits: [UInt64]
    /// Per set: its ranges above ASCII, as `setRanges[setRangeStarts[i] ..< setRangeStarts[i + 1]]`.
    let setRanges: [ClosedRange<UInt32>]
    let setRangeStarts: [Int]
    /// The precomputed form, for programs small enough (nearly all).
    let bitsets: StateBitsets?

    init(_ syntax: PatternSyntax) {
        var builder = Builder()
        builder.emit(syntax)
        builder.instructions.append(Instruction(operation: .match))
        instructions = builder.instructions
        var bits: [UInt64] = []
        var ranges: [ClosedRange<UInt32>] = []
        var starts: [Int] = [0]
        for set in builder.sets {
            var low: UInt64 = 0
            var high: UInt64 = 0
            for range in set.ranges {
                if range.lowerBound <= 0x7F {
                    for value in range.lowerBound...min(range.upperBound, 0x7F) {
                        if value < 64 { low |= 1 << UInt64(value) } else { high |= 1 << UInt64(value - 64) }
                    }
                }
                if range.upperBound > 0x7F { ranges.append(max(range.lowerBound, 0x80)...range.upperBound) }
            }
            bits += [low, high]
            starts.append(ranges.count)
        }
        asciiBits = bits
        setRanges = ranges
        setRangeStarts = starts
        let code = instructions
        bitsets = StateBitsets(code) { counter, scalar in
            Self.accepts(code[counter], scalar, asciiBits: bits, setRanges: ranges, setRangeStarts: starts)
        }
    }

    /// Whether the consuming instruction at `counter` accepts `scalar`.
    @inline(__always)
    func accepts(_ counter: Int, _ scalar: UInt32) -> Bool {
        Self.accepts(instructions[counter], scalar, asciiBits: asciiBits, setRanges: setRanges, setRangeStarts: setRangeStarts)
    }

    @inline(__always)
    static func accepts(_ instruction: Instruction, _ scalar: UInt32, asciiBits: [UInt64], setRanges: [ClosedRange<UInt32>],
                        setRangeStarts: [Int]) -> Bool {
        switch instruction.operation {
        case .scalar:
            return instruction.x == scalar
        case .any:
            return true
        case .set:
            let index = Int(instruction.x)
            if scalar < 0x80 {
                return asciiBits[2 * index + Int(scalar >> 6)] & (1 << UInt64(scalar & 63)) != 0
            }
            for range in setRanges[setRangeStarts[index]..<setRangeStarts[index + 1]] where range.contains(scalar) {
                return true
            }
            return false
        default:
            return false
        }
    }

    /// How many instructions ``init(_:)`` emits for `syntax` (without the final `match`),
    /// saturating instead of overflowing so that a pattern too large to compile is measured
    /// before it is built.
    static func instructionCount(_ syntax: PatternSyntax) -> Int {
        let cap = maximumInstructions * 1_000
        switch syntax {
        case .empty: return 0
        case .scalar, .set, .start, .end: return 1
        case .concatenation(let items):
            return min(items.reduce(0) { $0 + instructionCount($1) }, cap)
        case .alternation(let branches):
            return min(branches.reduce(0) { $0 + instructionCount($1) } + 2 * (branches.count - 1), cap)
        case .repetition(let operand, let minimum, let maximum):
            let size = instructionCount(operand)
            let required = size.multipliedReportingOverflow(by: minimum)
            let optional: (partialValue: Int, overflow: Bool) = if let maximum {
                (size + 1).multipliedReportingOverflow(by: maximum - minimum)
            } else {
                (size + 2, false)
            }
            guard !required.overflow, !optional.overflow else { return cap }
            return min(required.partialValue + optional.partialValue, cap)
        }
    }

    private struct Builder {
        var instructions: [Instruction] = []
        var sets: [ScalarSet] = []

        var next: UInt32 { UInt32(instructions.count) }

        mutating func emit(_ syntax: PatternSyntax) {
            switch syntax {
            case .empty:
                break
            case .scalar(let scalar):
                instructions.append(Instruction(operation: .scalar, x: scalar.value))
            case .set(let set):
                if set.isAll {
                    instructions.append(Instruction(operation: .any))
                } else {
                    instructions.append(Instruction(operation: .set, x: UInt32(sets.count)))
                    sets.append(set)
                }
            case .start:
                instructions.append(Instruction(operation: .start))
            case .end:
                instructions.append(Instruction(operation: .end))
            case .concatenation(let items):
                for item in items { emit(item) }
            case .alternation(let branches):
                // split L1, next; L1: a; jump end; next: split L2, next'; … last branch; end:
                var jumps: [Int] = []
                for (position, branch) in branches.enumerated() {
                    if position < branches.count - 1 {
                        let split = instructions.count
                        instructions.append(Instruction(operation: .split, x: next + 1))
                        emit(branch)
                        jumps.append(instructions.count)
                        instructions.append(Instruction(operation: .jump))
                        instructions[split].y = next
                    } else {
                        emit(branch)
                    }
                }
                for jump in jumps { instructions[jump].x = next }
            case .repetition(let operand, let minimum, let maximum):
                for _ in 0..<minimum { emit(operand) }
                if let maximum {
                    // (x(x(x)?)?)?: each optional copy is entered only after the one before.
                    var splits: [Int] = []
                    for _ in minimum..<maximum {
                        splits.append(instructions.count)
                        instructions.append(Instruction(operation: .split, x: next + 1))
                        emit(operand)
                    }
                    for split in splits { instructions[split].y = next }
                } else {
                    // loop: split body, out; body; jump loop; out:
                    let loop = instructions.count
                    instructions.append(Instruction(operation: .split, x: next + 1))
                    emit(operand)
                    instructions.append(Instruction(operation: .jump, x: UInt32(loop)))
                    instructions[loop].y = next
                }
            }
        }
    }
}
