import Foundation
import MMUCore

extension AddressSpaceMap {
    /// How entries are coloured.
    public enum Colouring: String, CaseIterable, Sendable {
        /// By page size.
        case size
        /// By protection (kernel-only entries in one colour).
        case protection
    }

    /// A static SVG picture of the rendered version (for papers): the map's tracks as the page
    /// draws them before any zoom, and a legend. No script, nothing fetched.
    ///
    /// - Parameter colouring: Colour entries by page size or by protection.
    /// - Complexity: O(*n*) for *n* runs, areas, counters and changes.
    public func svg(colouring: Colouring = .size) -> String {
        let width = axis.width, height = RenderLayout.height + 40
        var body = ""
        var entries = SpanTrack(band: RenderLayout.entries, width: width), global = SpanTrack(band: RenderLayout.global, width: width)
        for run in runs where run.isVisible(at: generation) {
            guard let x = axis.x(ofPages: run.pages) else { continue }
            let colour = colouring == .size ? RenderPalette.colour(of: run.size) : RenderPalette.colour(of: run.protection)
            entries.add(x, colour, weight: Double(run.pages.count))
            if run.attributes.contains(.global) { global.add(x, RenderPalette.global, weight: Double(run.pages.count)) }
        }
        var heat = SpanTrack(band: RenderLayout.heat, width: width)
        let hottest = activity.map(\.activity.accesses).max() ?? 0
        for item in activity {
            guard let x = axis.x(ofPages: item.page..<(item.page + 1)) else { continue }
            let t = hottest > 0 ? log(Double(item.activity.accesses) + 1) / log(Double(hottest) + 1) : 0
            heat.add(x.lowerBound..<max(x.upperBound, x.lowerBound + 1), Self.mix(RenderPalette.heatCold, RenderPalette.heatHot, t), weight: Double(item.activity.accesses + 1))
        }
        var changes = SpanTrack(band: RenderLayout.changes, width: width)
        for change in comparison?.difference.changes ?? [] {
            guard let x = axis.x(ofPages: change.range.pages) else { continue }
            changes.add(x, RenderPalette.changes.first { change.kinds.contains($0.0) }?.1 ?? "#000", weight: Double(change.range.pageCount))
        }
        var areaChanges = SpanTrack(band: RenderLayout.areaChanges, width: width)
        for change in comparison?.difference.areaChanges ?? [] {
            guard let x = axis.x(ofPages: change.range.pages) else { continue }
            areaChanges.add(x, RenderPalette.areaChanges.first { change.kinds.contains($0.0) }?.1 ?? "#000", weight: Double(change.range.pageCount))
        }
        body += entries.svg() + global.svg() + heat.svg() + changes.svg() + areaChanges.svg()
        for area in areas {
            guard let x = axis.x(ofPages: area.range.pages) else { continue }
            body += "<rect x=\"\(Self.number(x.lowerBound))\" y=\"\(Int(RenderLayout.areas.lowerBound))\" width=\"\(Self.number(max(x.upperBound - x.lowerBound, 1)))\" height=\"\(Int(RenderLayout.areas.upperBound - RenderLayout.areas.lowerBound))\" fill=\"\(RenderPalette.area)\" stroke=\"#5b7fa6\" stroke-width=\"0.5\"/>"
            let label = area.name.isEmpty ? area.kind.rawValue : area.name
            let room = Int((x.upperBound - x.lowerBound - 6) / 6)
            if room >= 3 {
                let shown = label.count > room ? String(label.prefix(room - 1)) + "…" : label
                body += "<text x=\"\(Self.number(x.lowerBound + 3))\" y=\"\(Int(RenderLayout.areas.lowerBound) + 12)\" font-size=\"11\" font-family=\"sans-serif\">\(XMLText.escaped(shown))</text>"
            }
        }
        for gap in axis.gaps {
            let middle = Self.number((gap.x.lowerBound + gap.x.upperBound) / 2), top = Int(RenderLayout.entries.lowerBound)
            body += "<rect x=\"\(Self.number(gap.x.lowerBound))\" y=\"\(top)\" width=\"\(Self.number(gap.x.upperBound - gap.x.lowerBound))\" height=\"\(Int(RenderLayout.areaChanges.upperBound) - top)\" fill=\"url(#hatch)\"/>"
            body += "<text x=\"\(middle)\" y=\"\(top + 4)\" font-size=\"9\" font-family=\"sans-serif\" fill=\"#666\" transform=\"rotate(90 \(middle) \(top + 4))\">\(XMLText.escaped(gap.label))</text>"
        }
        var lastLabel = -1e9, kernelMarked = false
        for segment in axis.segments {
            if !kernelMarked, segment.pages.lowerBound >= VirtualRange.pageLimit / 2 {
                kernelMarked = true
                body += "<text x=\"\(Self.number(min(segment.x.lowerBound + 2, width - 60)))\" y=\"9\" font-size=\"10\" font-weight=\"bold\" font-family=\"sans-serif\" fill=\"#7a1f5c\">kernel half</text>"
            }
            if segment.x.lowerBound - lastLabel > 90, segment.x.lowerBound < width - 90 {
                body += "<text x=\"\(Self.number(segment.x.lowerBound + 2))\" y=\"20\" font-size=\"10\" font-family=\"monospace\">\(VirtualAddress(pageNumber: segment.pages.lowerBound))</text>"
                lastLabel = segment.x.lowerBound
            }
        }
        var legend = "", x = 4.0
        let swatches = colouring == .size
            ? RenderPalette.legendSizes.map { (RenderPalette.colour(of: $0), "\($0)") }
            : RenderPalette.legendProtections.map { (RenderPalette.colour(of: $0), $0.contains(.user) ? "\($0)" : "kernel-only") }
        for (colour, text) in swatches + [(RenderPalette.global, "global"), (RenderPalette.heatHot, "hot"), (RenderPalette.area, "memory area")] {
            legend += "<rect x=\"\(Self.number(x))\" y=\"\(Int(RenderLayout.height) + 6)\" width=\"10\" height=\"10\" fill=\"\(colour)\"/><text x=\"\(Self.number(x + 14))\" y=\"\(Int(RenderLayout.height) + 15)\" font-size=\"11\" font-family=\"sans-serif\">\(XMLText.escaped(text))</text>"
            x += 24 + Double(text.count) * 6.5
        }
        let title = "\(setName) at \(versionDescription): \(summaryLine)"
        legend += "<text x=\"4\" y=\"\(Int(RenderLayout.height) + 32)\" font-size=\"11\" font-family=\"sans-serif\">\(XMLText.escaped(title))</text>"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))">
            <title>\(XMLText.escaped(title))</title>
            <defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f7f7f7"/><line x1="0" y1="0" x2="0" y2="6" stroke="\(RenderPalette.gap)" stroke-width="3"/></pattern></defs>
            <rect width="\(Int(width))" height="\(Int(height))" fill="#fff"/>
            \(body)\(legend)
            </svg>

            """
    }

    /// `c0` blended towards `c1` by `t` (0...1), both `#rrggbb`.
    static func mix(_ c0: String, _ c1: String, _ t: Double) -> String {
        func channel(_ colour: String, _ k: Int) -> Double {
            let start = colour.index(colour.startIndex, offsetBy: 1 + 2 * k)
            return Double(Int(colour[start..<colour.index(start, offsetBy: 2)], radix: 16) ?? 0)
        }
        return "#" + (0..<3).map { k in
            let value = Int((channel(c0, k) + (channel(c1, k) - channel(c0, k)) * t).rounded())
            let hex = String(value, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}

/// One track of the static picture, aggregated as the page aggregates it: spans of a pixel or
/// more are rectangles (touching ones of one colour merged), thinner ones become per-pixel
/// tiles, each in the colour that weighs most in it.
struct SpanTrack {
    let band: Range<Double>
    let width: Double
    private var tiles: [Int: (colour: String, weight: Double)] = [:]
    private var rects: [(x: Range<Double>, colour: String)] = []

    init(band: Range<Double>, width: Double) {
        self.band = band
        self.width = width
    }

    /// Adds the span `x` (nominal pixels) in `colour`.
    mutating func add(_ x: Range<Double>, _ colour: String, weight: Double) {
        let a = max(x.lowerBound, 0), b = min(x.upperBound, width)
        guard b > a else { return }
        if b - a < 1 {
            let pixel = Int(a)
            if tiles[pixel].map({ $0.weight < weight }) ?? true { tiles[pixel] = (colour, weight) }
            return
        }
        if let last = rects.last, last.colour == colour, a - last.x.upperBound < 0.5 {
            rects[rects.count - 1].x = last.x.lowerBound..<b
        } else {
            rects.append((a..<b, colour))
        }
    }

    /// The track's rectangles.
    func svg() -> String {
        var result = ""
        func rect(_ x: Range<Double>, _ colour: String) {
            result += "<rect x=\"\(AddressSpaceMap.number(x.lowerBound))\" y=\"\(Int(band.lowerBound))\" width=\"\(AddressSpaceMap.number(x.upperBound - x.lowerBound))\" height=\"\(Int(band.upperBound - band.lowerBound))\" fill=\"\(colour)\"/>"
        }
        var run: (x: Range<Double>, colour: String)?
        for pixel in tiles.keys.sorted() {
            let colour = tiles[pixel]?.colour ?? ""
            if let current = run, current.colour == colour, current.x.upperBound == Double(pixel) {
                run = (current.x.lowerBound..<Double(pixel + 1), colour)
            } else {
                if let current = run { rect(current.x, current.colour) }
                run = (Double(pixel)..<Double(pixel + 1), colour)
            }
        }
        if let current = run { rect(current.x, current.colour) }
        for item in rects { rect(item.x, item.colour) }
        return result
    }
}
