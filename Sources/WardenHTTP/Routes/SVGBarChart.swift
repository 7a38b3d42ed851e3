import Foundation
import WardenCore

/// A horizontal bar chart as inline SVG: no script, no external assets, so the page renders the
/// same offline, in a mail client's preview, or printed.
///
/// Each bar is labelled with its key and its exact value as text (the bar length is only a
/// picture of it), so screen readers and text dumps of the page carry the numbers.
struct SVGBarChart {
    struct Bar {
        var label: String
        var valueText: String
        /// 0…1 of the chart width.
        var fraction: Double
        var colour: String
    }

    var title: String
    var bars: [Bar]

    static let width = 560.0
    static let labelWidth = 150.0
    static let rowHeight = 22.0

    func render() -> String {
        guard !bars.isEmpty else { return "<p class=\"empty\">\(HTMLText.escape(title)): no usage yet.</p>\n" }
        let height = Double(bars.count) * Self.rowHeight + 4
        let barSpace = Self.width - Self.labelWidth - 130
        var svg = "<svg role=\"img\" aria-label=\"\(HTMLText.escape(title))\" width=\"\(Int(Self.width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        svg += "<title>\(HTMLText.escape(title))</title>\n"
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * Self.rowHeight + 2
            let length = max(1, min(1, max(0, bar.fraction)) * barSpace)
            svg += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"13\">\(HTMLText.escape(String(bar.label.prefix(22))))</text>"
            svg += "<rect x=\"\(Self.labelWidth)\" y=\"\(y + 3)\" width=\"\(String(format: "%.1f", length))\" height=\"16\" fill=\"\(bar.colour)\"/>"
            svg += "<text x=\"\(String(format: "%.1f", Self.labelWidth + length + 6))\" y=\"\(y + 15)\" font-size=\"13\">\(HTMLText.escape(bar.valueText))</text>\n"
        }
        return svg + "</svg>\n"
    }
}
