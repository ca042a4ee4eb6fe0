import MMUCore

extension AddressSpaceMap {
    /// The data the page's script draws from, as one JSON object (the runs and counters as
    /// ``PackedColumns``, compressed).
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
        text += ",\"runs\":\(runs.count),\"heat\":\(activity.count),\"columns\":\"" + packedColumns().deflatedBase64() + "\""
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

    /// The runs and the page counters as ``PackedColumns``, in the order the page reads them.
    /// Runs: `v` first page (delta from the previous run's), `n` entries, `s` page shift, `p`
    /// protection bits, `a` attribute bits, `c` cache mode index (`s`, `p`, `a` and `c` as
    /// repeated pairs, since they rarely change from run to run), `f` first frame minus first
    /// page (signed delta from the previous run's), `b` born, `d` died plus one (0: live).
    /// Counters: page (delta from the previous counter's), accesses, writes, faults.
    ///
    /// - Complexity: O(*n*) for *n* runs and counters.
    func packedColumns() -> PackedColumns {
        var columns = PackedColumns()
        var previousPage: UInt64 = 0
        for run in runs {
            columns.append(run.firstPage - previousPage)
            previousPage = run.firstPage
        }
        for run in runs { columns.append(UInt64(run.count)) }
        columns.appendRepeated(runs.lazy.map { UInt64($0.size.shift) })
        columns.appendRepeated(runs.lazy.map { UInt64($0.protection.rawValue) })
        columns.appendRepeated(runs.lazy.map { UInt64($0.attributes.rawValue) })
        let cacheModes = CacheMode.allCases
        columns.appendRepeated(runs.lazy.map { run in UInt64(cacheModes.firstIndex(of: run.cacheMode) ?? 0) })
        // A frame is written as its offset from its page (frame minus page), itself as the
        // change from the previous run's offset: runs of one mapping share their offset.
        var previousOffset: UInt64 = 0
        for run in runs {
            let offset = run.firstFrame &- run.firstPage
            columns.appendSigned(Int64(bitPattern: offset &- previousOffset))
            previousOffset = offset
        }
        for run in runs { columns.append(UInt64(run.born)) }
        for run in runs { columns.append(run.died.map { UInt64($0) + 1 } ?? 0) }
        previousPage = 0
        for counter in activity {
            columns.append(counter.page - previousPage)
            previousPage = counter.page
        }
        for counter in activity { columns.append(counter.activity.accesses) }
        for counter in activity { columns.append(counter.activity.writes) }
        for counter in activity { columns.append(counter.activity.faults) }
        return columns
    }

    /// The palette as the page's script reads it.
    func paletteJSON() -> String {
        let sizes = PageSize.all.map { "\"\($0.shift)\":\(JSONText.string(RenderPalette.colour(of: $0)))" }.joined(separator: ",")
        let protections = (0...15).map { JSONText.string(RenderPalette.colour(of: Protection(rawValue: UInt8($0)))) }.joined(separator: ",")
        let changes = RenderPalette.changes.map { "[\($0.0.rawValue),\(JSONText.string($0.1))]" }.joined(separator: ",")
        let areaChanges = RenderPalette.areaChanges.map { "[\($0.0.rawValue),\(JSONText.string($0.1))]" }.joined(separator: ",")
        return "{\"sizes\":{\(sizes)},\"protections\":[\(protections)],\"changes\":[\(changes)],\"areaChanges\":[\(areaChanges)],\"global\":\"\(RenderPalette.global)\""
            + ",\"heatHot\":\"\(RenderPalette.heatHot)\",\"heatCold\":\"\(RenderPalette.heatCold)\",\"area\":\"\(RenderPalette.area)\",\"gap\":\"\(RenderPalette.gap)\"}"
    }

    /// A pixel position with at most three decimals.
    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
