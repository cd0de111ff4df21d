/// A small SVG line chart: proofs per second against workers, one line per proof type and mode.
enum ThroughputPlot {
    struct Series {
        var name: String
        var points: [(workers: Int, value: Double)]
    }

    static func svg(_ series: [Series], cores: Int) -> String {
        let width = 640.0, height = 400.0, left = 60.0, right = 200.0, top = 30.0, bottom = 50.0
        let maxX = Double(series.flatMap { $0.points.map(\.workers) }.max() ?? 1)
        let maxY = max(series.flatMap { $0.points.map(\.value) }.max() ?? 1, 1e-9) * 1.1
        func x(_ w: Int) -> Double { left + (Double(w) - 1) / max(maxX - 1, 1) * (width - left - right) }
        func y(_ v: Double) -> Double { height - bottom - v / maxY * (height - top - bottom) }
        let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="18" font-size="14">Proof throughput against workers (\(cores) cores)</text>
        <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" stroke="black"/>
        <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(height - bottom)" stroke="black"/>
        <text x="\((left + width - right) / 2)" y="\(height - 12)" text-anchor="middle">workers</text>
        <text x="14" y="\((top + height - bottom) / 2)" transform="rotate(-90 14 \((top + height - bottom) / 2))" text-anchor="middle">proofs / s</text>

        """
        for w in 1...max(1, Int(maxX)) {
            out += "<text x=\"\(x(w))\" y=\"\(height - bottom + 16)\" text-anchor=\"middle\">\(w)\(w > cores ? "*" : "")</text>\n"
        }
        for i in 0...4 {
            let v = maxY * Double(i) / 4
            out += "<text x=\"\(left - 6)\" y=\"\(y(v) + 4)\" text-anchor=\"end\">\(String(format: "%.1f", v))</text>\n"
        }
        for (i, s) in series.enumerated() {
            let color = colors[i % colors.count]
            let path = s.points.sorted { $0.workers < $1.workers }.map { "\(x($0.workers)),\(y($0.value))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            for p in s.points { out += "<circle cx=\"\(x(p.workers))\" cy=\"\(y(p.value))\" r=\"3\" fill=\"\(color)\"/>\n" }
            out += "<text x=\"\(width - right + 10)\" y=\"\(top + 16 * Double(i + 1))\" fill=\"\(color)\">\(s.name)</text>\n"
        }
        if Int(maxX) > cores { out += "<text x=\"\(width - right + 10)\" y=\"\(height - bottom)\">* more workers than cores</text>\n" }
        return out + "</svg>\n"
    }
}

import Foundation
