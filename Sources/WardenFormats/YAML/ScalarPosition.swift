import WardenCore
import Yams

/// Where a character of a scalar's value sits in the file, so an error found inside a value (the
/// column of a condition's parse error, the unit of a duration) points at that character.
///
/// Yams marks the start of the scalar: the first character of a plain scalar, the opening quote
/// of a quoted one, the `|` or `>` of a block scalar. From there:
/// - plain: the value starts at the mark;
/// - single- or double-quoted: one column later. Escape sequences (`\"`, `''`) are longer in the
///   file than in the value, so a position after one is a little early: good enough to find it;
/// - literal block (`|`): line *k* of the value is the *k*-th line after the indicator, at the
///   block's indentation;
/// - folded block (`>`), or a flow scalar continued on the next line: lines were joined, so the
///   position is the start of the scalar.
enum ScalarPosition {
    static func locate(offset: Int, in node: Node, lines: [Substring]) -> (line: Int, column: Int) {
        guard let mark = node.mark else { return (0, 0) }
        guard case .scalar(let scalar) = node else { return (mark.line, mark.column) }
        switch scalar.style {
        case .plain, .singleQuoted, .doubleQuoted:
            let start = mark.column + (scalar.style == .plain ? 0 : 1)
            let column = start + offset
            // A column past the end of the line (the end of the value may sit just after it)
            // means the scalar went on to the next line.
            if mark.line - 1 < lines.count, column > lines[mark.line - 1].unicodeScalars.count + 1 {
                return (mark.line, mark.column)
            }
            return (mark.line, column)
        case .literal:
            var lineIndex = 0
            var lineStart = 0
            for (index, character) in scalar.string.unicodeScalars.prefix(offset).enumerated() where character == "\n" {
                lineIndex += 1
                lineStart = index + 1
            }
            // Content starts on the line after the indicator (mark.line is 1-based, so the
            // array index of that line is mark.line).
            let firstContent = mark.line
            guard firstContent + lineIndex < lines.count,
                  let indentation = blockIndentation(lines[firstContent...]) else { return (mark.line, mark.column) }
            return (mark.line + 1 + lineIndex, indentation + 1 + (offset - lineStart))
        default:
            return (mark.line, mark.column)
        }
    }

    /// The indentation of a block scalar: that of its first non-blank line.
    private static func blockIndentation(_ lines: ArraySlice<Substring>) -> Int? {
        for line in lines {
            let spaces = line.prefix { $0 == " " }.count
            if spaces < line.count, !line.allSatisfy({ $0 == " " || $0 == "\r" }) { return spaces }
        }
        return nil
    }
}
