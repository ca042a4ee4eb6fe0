import Foundation
import MMUCore

extension AddressSpaceMap {
    /// The Content Security Policy of every page: nothing may be fetched, only the inline script
    /// and style run. A request the page attempted would be refused and reported on the console.
    public static let contentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

    /// One self-contained HTML page: the map (the first thing on the page, at its top left), the
    /// entry under the pointer, the history view, the diff summary, and the data and script
    /// inline. It fetches nothing when viewed.
    ///
    /// The page reads options from its fragment: `#colour=protection`, `#heat=0`, `#g=GENERATION`.
    ///
    /// - Complexity: O(*n*) for *n* runs, areas, counters and changes.
    /// - Parameter colouring: How entries are coloured first (the page can switch).
    public func html(colouring: Colouring = .size) -> String {
        let title = "mmu render: \(setName) at \(versionDescription)"
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(Self.contentSecurityPolicy)">
            <title>\(XMLText.escaped(title))</title>
            <style>\(Self.style)</style></head>
            <body>
            <svg id="map" xmlns="http://www.w3.org/2000/svg" width="\(Int(axis.width))" height="\(Int(RenderLayout.height))" viewBox="0 0 \(Int(axis.width)) \(Int(RenderLayout.height))">
            <defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f7f7f7"/><line x1="0" y1="0" x2="0" y2="6" stroke="\(RenderPalette.gap)" stroke-width="3"/></pattern></defs>
            <g id="map-layer"></g></svg>
            <div id="panel">
            <h1>\(XMLText.escaped(title))</h1>
            <p id="summary">\(XMLText.escaped(summaryLine))</p>
            <p class="controls">colour by <select id="colour"><option value="size">page size</option><option value="protection">protection</option></select>
            <label><input type="checkbox" id="heat"> heat (accesses per page)</label>
            <button id="zoom-in">zoom in</button> <button id="zoom-out">zoom out</button> <button id="zoom-reset">whole space</button>
            <span id="status"></span></p>
            <p class="hint">Wheel to zoom, drag to pan, hover for the entry, click to pin it. Hatched: unmapped space, compressed.</p>
            \(legend)
            <pre id="info">hover over the map</pre>

            """
        if includesHistory {
            page += """
                <h2>History: address down, generation across (click a generation to redraw the map at it)</h2>
                <svg id="history" xmlns="http://www.w3.org/2000/svg" width="\(Int(axis.width))" height="\(Int(RenderLayout.historyHeight))" viewBox="0 0 \(Int(axis.width)) \(Int(RenderLayout.historyHeight))"><g id="history-layer"></g></svg>
                <p class="hint">Each row is a slice of the address axis above; a dark mark is a version born in that generation (mapped, remapped, resized or reprotected); dashed lines are snapshots.</p>

                """
        }
        if let comparison {
            page += """
                <h2>Changes: how \(XMLText.escaped(comparison.label)) differs from this version</h2>
                <p id="diff-total"></p>
                <table id="diff-summary"><thead><tr><th>section</th><th>kind</th><th>ranges</th><th>bytes</th></tr></thead><tbody id="diff-summary-body"></tbody></table>

                """
        }
        if !costs.isEmpty { page += costTable }
        page += """
            <h2>Entries at the selected generation</h2>
            <pre id="listing"></pre>
            </div>
            <script type="application/json" id="mmu-data">\(dataJSON(colouring: colouring))</script>
            <script>\(RenderScript.source)</script>
            </body></html>

            """
        return page
    }

    /// The line under the title: entries, runs, areas, the architecture.
    public var summaryLine: String {
        var entries = 0, visibleRuns = 0
        for run in runs where run.isVisible(at: generation) {
            entries += run.count
            visibleRuns += 1
        }
        func counted(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }
        return "\(counted(entries, "entry", "entries")) in \(counted(visibleRuns, "run", "runs")) at generation \(generation) of \(headGeneration), "
            + "\(counted(areas.count, "memory area", "memory areas")), \(counted(activity.count, "page", "pages")) with counters"
            + (architecture.map { ", \($0.name)" } ?? "")
            + (includesHistory ? "" : "; history not included (--no-history)")
    }

    /// The translation cost of the rendered version in each format (the models are in the library's CostModels article).
    var costTable: String {
        func figure(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "–" }
        let tlb = costs.first.map { "\($0.tlb)" } ?? ""
        let host = costs.first?.host.map { "nested under \($0)" } ?? "no host chosen"
        var rows = ""
        for cost in costs {
            let footprint = cost.footprint.map { "\($0.tablePages)</td><td>\($0.byteCount)</td><td>\(String(format: "%.1f%%", $0.fillRatio * 100))" }
                ?? "–</td><td>–</td><td>\(XMLText.escaped(cost.buildError ?? ""))"
            let losses = cost.losses.isEmpty ? "–" : cost.losses.map { XMLText.escaped("\($0.reason): \($0.entries)") }.joined(separator: "<br>")
            rows += "<tr data-format=\"\(XMLText.escaped(cost.format))\"><td>\(XMLText.escaped(cost.format))</td><td>\(footprint)</td>"
                + "<td>\(figure(cost.averageNativeReferences))</td><td>\(figure(cost.averageNestedReferences))</td>"
                + "<td>\(cost.tlbReach)</td><td>\(String(format: "%.1f%%", cost.tlbCoverage * 100))</td><td>\(losses)</td></tr>\n"
        }
        return """
            <h2>Cost across architectures (at generation \(generation); \(XMLText.escaped(host)); TLB \(XMLText.escaped(tlb)))</h2>
            <table id="cost"><thead><tr><th>format</th><th>table pages</th><th>bytes</th><th>fill</th><th>references per miss</th><th>nested</th><th>TLB reach (bytes)</th><th>TLB coverage</th><th>cannot express</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            <p class="hint">Footprints are of the table built with unsupported page sizes split. References: table entries read per TLB miss, averaged over the entries (hashed formats: entries inspected); nested: (n+1)(m+1)−1 for an n-read guest walk under an m-read host walk. Coverage: the share of the mapped bytes the TLB holds at once.</p>

            """
    }

    /// The legend for both colourings and the other tracks.
    var legend: String {
        func swatch(_ colour: String, _ text: String) -> String {
            "<span class=\"swatch\" style=\"background:\(colour)\"></span>\(XMLText.escaped(text))"
        }
        let sizes = RenderPalette.legendSizes.map { swatch(RenderPalette.colour(of: $0), "\($0)") } + [swatch("#f28e2b", "other sizes")]
        let protections = RenderPalette.legendProtections.map { swatch(RenderPalette.colour(of: $0), $0.contains(.user) ? "\($0)" : "kernel-only") }
        let changes = RenderPalette.changes.map { kind in swatch(kind.1, kind.0.names.first ?? "") }
        return "<p class=\"legend\">page size: \(sizes.joined(separator: " ")) · protection: \(protections.joined(separator: " ")) · "
            + "\(swatch(RenderPalette.global, "global")) \(swatch(RenderPalette.heatCold, "cold")) \(swatch(RenderPalette.heatHot, "hot")) · changes: \(changes.joined(separator: " "))</p>"
    }

    /// The page's style sheet.
    static let style = """
        body{margin:0;font:13px system-ui,sans-serif;color:#222;background:#fff}
        #map{display:block;cursor:crosshair;background:#fff}
        #panel{padding:4px 8px}
        h1{font-size:15px;margin:6px 0}h2{font-size:14px;margin:12px 0 4px}
        .axis-label,.area-range{font:10px monospace;fill:#444}.half-label{font:bold 10px sans-serif;fill:#7a1f5c}
        .area-label{font:11px sans-serif;fill:#123}.gap-label{font:9px sans-serif;fill:#666}
        .snapshot{stroke:#000;stroke-dasharray:3 2}.snapshot-label{font:10px sans-serif}.selected{fill:none;stroke:#d62728;stroke-width:1.5}
        .swatch{display:inline-block;width:10px;height:10px;margin:0 3px 0 6px;vertical-align:middle}
        pre{background:#f6f6f6;padding:6px;max-height:240px;overflow:auto}
        #history{display:block;background:#fafafa;cursor:pointer}
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}
        """
}
