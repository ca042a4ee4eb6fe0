import MMUCore

extension AddressSpaceMap {
    /// The data the page's script draws from, as one JSON object (columns of integers for the
    /// runs and counters, page numbers delta-coded).
    ///
    /// - Complexity: O(*n*) for *n* runs, areas, counters and changes.
    func dataJSON(colouring: Colouring) -> String {
        var text = "{\"colour\":\"\(colouring.rawValue)\",\"set\":\(JSONText.string(setName)),\"version\":\(JSONText.string(versionDescription))"
        text += ",\"generation\":\(generation),\"head\":\(headGeneration)"
        text += ",\"architecture\":\(architecture.map { JSONText.string($0.name) } ?? "null")"
        text += ",\"history\":\(includesHistory),\"width\":\(Int(axis.width)),\"layout\":\(RenderLayout.json)"
        text += ",\"segments\":[" + axis.segments.map {
            "[\($0.pages.lowerBound),\($0.pages.upperBound),\(Self.number($0.x.lowerBound)),\(Self.number($0.x.upperBound))]"
        }.joined(separator: ",") + "]"
        text += ",\"gaps\":[" + axis.gaps.map {
            "[\($0.pages.lowerBound),\($0.pages.upperBound),\(Self.number($0.x.lowerBound)),\(Self.number($0.x.upperBound)),\(JSONText.string($0.label))]"
        }.joined(separator: ",") + "]"
        text += ",\"runs\":" + runsJSON()
        var previousPage: UInt64 = 0
        text += ",\"heat\":{\"v\":" + JSONText.array(activity.map { item in
            defer { previousPage = item.page }
            return item.page - previousPage
        })
        text += ",\"accesses\":" + JSONText.array(activity.map(\.activity.accesses))
        text += ",\"writes\":" + JSONText.array(activity.map(\.activity.writes))
        text += ",\"faults\":" + JSONText.array(activity.map(\.activity.faults)) + "}"
        text += ",\"areas\":[" + areas.map {
            "[\($0.range.lowerPage),\($0.range.upperPage),\($0.protection.rawValue),\(JSONText.string($0.kind.rawValue)),\($0.isShared),\(JSONText.string($0.name))]"
        }.joined(separator: ",") + "]"
        text += ",\"snapshots\":[" + snapshots.map { "[\(JSONText.string($0.name)),\($0.generation)]" }.joined(separator: ",") + "]"
        text += ",\"cacheModes\":[" + CacheMode.allCases.map { JSONText.string($0.rawValue) }.joined(separator: ",") + "]"
        text += ",\"kinds\":[" + TranslationSet.Difference.Kinds.named.map { "[\($0.0.rawValue),\(JSONText.string($0.1))]" }.joined(separator: ",") + "]"
        text += ",\"areaKinds\":[" + TranslationSet.Difference.AreaKinds.named.map { "[\($0.0.rawValue),\(JSONText.string($0.1))]" }.joined(separator: ",") + "]"
        text += ",\"palette\":" + paletteJSON()
        if let comparison {
            text += ",\"compare\":{\"label\":\(JSONText.string(comparison.label)),\"changes\":["
            text += comparison.difference.changes.map { "[\($0.range.lowerPage),\($0.range.upperPage),\($0.kinds.rawValue)]" }.joined(separator: ",")
            text += "],\"areaChanges\":["
            text += comparison.difference.areaChanges.map { "[\($0.range.lowerPage),\($0.range.upperPage),\($0.kinds.rawValue)]" }.joined(separator: ",")
            text += "]}"
        } else {
            text += ",\"compare\":null"
        }
        return text + "}"
    }

    /// The runs as columns: `v` first page (delta from the previous run's), `n` entries, `s`
    /// page shift, `p` protection bits, `a` attribute bits, `c` cache mode index, `f` first
    /// frame (delta from where the previous run's frames end), `b` born, `d` died (-1: live).
    func runsJSON() -> String {
        var pages = "", counts = "", shifts = "", protections = "", attributes = "", caches = "", frames = "", born = "", died = ""
        pages.reserveCapacity(runs.count * 3)
        frames.reserveCapacity(runs.count * 4)
        var previousPage: UInt64 = 0
        var previousFrameEnd: Int64 = 0
        let cacheIndex = Dictionary(uniqueKeysWithValues: CacheMode.allCases.enumerated().map { ($0.element, $0.offset) })
        for (index, run) in runs.enumerated() {
            let separator = index == 0 ? "" : ","
            pages += separator + String(run.firstPage - previousPage)
            counts += separator + String(run.count)
            shifts += separator + String(run.size.shift)
            protections += separator + String(run.protection.rawValue)
            attributes += separator + String(run.attributes.rawValue)
            caches += separator + String(cacheIndex[run.cacheMode] ?? 0)
            frames += separator + String(Int64(run.firstFrame) - previousFrameEnd)
            born += separator + String(run.born)
            died += separator + String(run.died ?? -1)
            previousPage = run.firstPage
            previousFrameEnd = Int64(run.firstFrame + UInt64(run.count) * run.size.pageCount)
        }
        return "{\"v\":[\(pages)],\"n\":[\(counts)],\"s\":[\(shifts)],\"p\":[\(protections)],\"a\":[\(attributes)],\"c\":[\(caches)],\"f\":[\(frames)],\"b\":[\(born)],\"d\":[\(died)]}"
    }

    /// The palette as the page's script reads it.
    func paletteJSON() -> String {
        let sizes = PageSize.all.map { "\"\($0.shift)\":\(JSONText.string(RenderPalette.colour(of: $0)))" }.joined(separator: ",")
        let protections = (0...15).map { JSONText.string(RenderPalette.colour(of: Protection(rawValue: UInt8($0)))) }.joined(separator: ",")
        let changes = RenderPalette.changes.map { "[\($0.0.rawValue),\(JSONText.string($0.1))]" }.joined(separator: ",")
        return "{\"sizes\":{\(sizes)},\"protections\":[\(protections)],\"changes\":[\(changes)],\"global\":\"\(RenderPalette.global)\""
            + ",\"heatHot\":\"\(RenderPalette.heatHot)\",\"heatCold\":\"\(RenderPalette.heatCold)\",\"area\":\"\(RenderPalette.area)\",\"gap\":\"\(RenderPalette.gap)\"}"
    }

    /// A pixel position with at most three decimals.
    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
