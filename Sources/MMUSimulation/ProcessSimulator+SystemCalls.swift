import MMUCore
import MMUTraces

extension ProcessSimulator {
    /// Applies one memory system call as one transaction (none when it changes nothing).
    mutating func perform(_ call: SystemCall, in name: String) throws(SimulationError) {
        switch call {
        case .mmap(let request): try map(request, in: name)
        case .munmap(let address, let length): try unmap(address, length: length, in: name)
        case .mprotect(let address, let length, let protection): try protect(address, length: length, protection, in: name)
        case .brk(_, let result): try moveBreak(to: result.rawValue, in: name)
        case .mremap(let request): try remap(request, in: name)
        case .discardPages(let address, let length): try discard(address, length: length, in: name)
        }
    }

    /// The number of 4 KiB pages `length` bytes take, rounded up.
    private static func pageCount(_ length: UInt64) -> UInt64 {
        length / PageSize.size4KiB.byteCount + (length % PageSize.size4KiB.byteCount == 0 ? 0 : 1)
    }

    /// The pages `[address, address + length)`, or `nil` (noted as inconsistent) when the
    /// address is unaligned or the range passes the end of the address space; `nil` for length 0.
    private mutating func pageRange(_ address: VirtualAddress, _ length: UInt64) -> VirtualRange? {
        let count = Self.pageCount(length)
        guard count > 0 else { return nil }
        guard address.isAligned(to: .size4KiB), count <= VirtualRange.pageLimit - address.pageNumber else {
            machine.noteInconsistent()
            return nil
        }
        return VirtualRange(pages: address.pageNumber..<(address.pageNumber + count))
    }

    /// `mmap`: a new area (replacing what was there, as `MAP_FIXED` does), at the recorded
    /// address, or where Linux would place it when the trace has none.
    private mutating func map(_ request: SystemCall.MapRequest, in name: String) throws(SimulationError) {
        let count = Self.pageCount(request.length)
        guard count > 0, let areas = spaces[name]?.areas else { return }
        let start: VirtualAddress
        if let result = request.result {
            start = result
        } else if let placed = place(request, pageCount: count, in: areas) {
            start = VirtualAddress(pageNumber: placed)
        } else {
            machine.report.failedPlacements += 1
            machine.report.noteUnmodelled(line: machine.line)
            return
        }
        guard let range = pageRange(start, request.length) else { return }
        let kind: MemoryArea.Kind =
            request.flags.contains(.anonymous) ? (request.flags.contains(.stack) ? .stack : .anonymous) : .file
        let area = MemoryArea(
            range: range, protection: request.protection, kind: kind, isShared: request.flags.contains(.shared),
            name: kind == .file ? request.path : "")
        try transact(in: name, label: "mmap \(range) \(request.protection)") { machine, space, tx in
            let before = space.areas
            try machine.unmapPages(in: range, space: &space, tx)
            space.areas.remove(range)
            space.areas.insert(area)
            space.lastArea = nil
            try machine.replaceAreas(changed: [range], from: before, to: space.areas, tx)
            guard request.flags.contains(.populate) else { return }
            var entries: [MMUEntry] = []
            for page in range.pages {
                guard let merged = space.areas.area(containing: page) else { continue }
                entries.append(try machine.faultIn(page, area: merged, space: &space))
            }
            try tx.map(contentsOf: entries)
            machine.report.populatedPages += entries.count
        }
    }

    /// Linux's choice of address for an `mmap` without a recorded result: the exact address
    /// for `MAP_FIXED` (`MAP_FIXED_NOREPLACE` fails on an overlap), the hint when that range is
    /// free, else the highest free gap below ``SimulationOptions/mmapBase``.
    private func place(_ request: SystemCall.MapRequest, pageCount: UInt64, in areas: AreaMap) -> UInt64? {
        let lowest: UInt64 = 16
        if request.flags.contains(.fixed) || request.flags.contains(.fixedNoReplace) {
            guard let address = request.address, address.isAligned(to: .size4KiB),
                pageCount <= VirtualRange.pageLimit - address.pageNumber
            else { return nil }
            if request.flags.contains(.fixedNoReplace),
                !areas.isFree(VirtualRange(pages: address.pageNumber..<(address.pageNumber + pageCount)))
            {
                return nil
            }
            return address.pageNumber
        }
        if let hint = request.address, hint.rawValue != 0 {
            let first = hint.pageNumber + (hint.isAligned(to: .size4KiB) ? 0 : 1)
            if first >= lowest, first + pageCount <= options.mmapBase.pageNumber,
                areas.isFree(VirtualRange(pages: first..<(first + pageCount)))
            {
                return first
            }
        }
        return areas.topDownGap(pageCount: pageCount, below: options.mmapBase.pageNumber, above: lowest)
    }

    /// `munmap`: unmaps the pages and removes the range from every area.
    private mutating func unmap(_ address: VirtualAddress, length: UInt64, in name: String) throws(SimulationError) {
        guard let range = pageRange(address, length), let space = spaces[name] else { return }
        guard !space.areas.isFree(range) else { return }
        try transact(in: name, label: "munmap \(range)") { machine, space, tx in
            let before = space.areas
            try machine.unmapPages(in: range, space: &space, tx)
            space.areas.remove(range)
            space.lastArea = nil
            try machine.replaceAreas(changed: [range], from: before, to: space.areas, tx)
        }
    }

    /// `mprotect`: new protection for the areas and pages of the range. Parts no known area
    /// covers (mapped by the kernel at `execve`) are counted and left alone.
    private mutating func protect(_ address: VirtualAddress, length: UInt64, _ protection: Protection, in name: String)
        throws(SimulationError)
    {
        guard let range = pageRange(address, length), let space = spaces[name] else { return }
        if space.areas.uncoveredPageCount(in: range) > 0 { machine.noteUnknownRegion() }
        var changed = space.areas
        changed.protect(range, protection)
        guard changed != space.areas else { return }
        try transact(in: name, label: "mprotect \(range) \(protection)") { machine, space, tx in
            let before = space.areas
            space.areas = changed
            space.lastArea = nil
            try machine.protectPages(in: range, protection, space: &space, tx)
            try machine.replaceAreas(changed: [range], from: before, to: space.areas, tx)
            for region in space.pages.populatedRegions(overlapping: range) { space.dirtyRegions.insert(region) }
        }
    }

    /// `brk`: the heap area grows or shrinks to the new break (rounded up to a page). The
    /// first `brk` seen gives the heap's start.
    private mutating func moveBreak(to newBreak: UInt64, in name: String) throws(SimulationError) {
        guard let space = spaces[name] else { return }
        guard let heapStart = space.heapStart, let oldBreak = space.programBreak else {
            spaces[name]?.heapStart = Self.pageCount(newBreak)
            spaces[name]?.programBreak = newBreak
            return
        }
        let oldEnd = max(Self.pageCount(oldBreak), heapStart)
        let newEnd = Self.pageCount(newBreak)
        guard newEnd >= heapStart, newEnd <= VirtualRange.pageLimit else {
            machine.noteInconsistent()
            return
        }
        if newEnd > oldEnd {
            let grown = VirtualRange(pages: oldEnd..<newEnd)
            guard space.areas.isFree(grown) else {
                machine.noteInconsistent()
                return
            }
            let heap = MemoryArea(range: grown, protection: [.read, .write, .user], kind: .heap, name: "[heap]")
            try transact(in: name, label: "brk grows to 0x\(String(newBreak, radix: 16))") { machine, space, tx in
                let before = space.areas
                space.areas.insert(heap)
                space.lastArea = nil
                try machine.replaceAreas(changed: [grown], from: before, to: space.areas, tx)
            }
        } else if newEnd < oldEnd {
            let shrunk = VirtualRange(pages: newEnd..<oldEnd)
            try transact(in: name, label: "brk shrinks to 0x\(String(newBreak, radix: 16))") { machine, space, tx in
                let before = space.areas
                try machine.unmapPages(in: shrunk, space: &space, tx)
                space.areas.remove(shrunk)
                space.lastArea = nil
                try machine.replaceAreas(changed: [shrunk], from: before, to: space.areas, tx)
            }
        }
        spaces[name]?.programBreak = newBreak
    }

    /// `madvise(MADV_DONTNEED)`: the pages go, the areas stay; the next touch faults again.
    private mutating func discard(_ address: VirtualAddress, length: UInt64, in name: String) throws(SimulationError) {
        guard let range = pageRange(address, length), let space = spaces[name] else { return }
        guard !space.pages.smallPages(in: range).isEmpty || !space.pages.largeRegions(overlapping: range).isEmpty else {
            return
        }
        try transact(in: name, label: "madvise \(range) DONTNEED") { machine, space, tx in
            try machine.unmapPages(in: range, space: &space, tx)
        }
    }

    /// `mremap`: the mapping shrinks, grows in place, or moves with its pages (their frames
    /// go along, as Linux moves page table entries).
    private mutating func remap(_ request: SystemCall.RemapRequest, in name: String) throws(SimulationError) {
        guard let space = spaces[name], let old = pageRange(request.oldAddress, request.oldLength) else { return }
        let newCount = Self.pageCount(request.newLength)
        let pieces = Array(space.areas.areas(overlapping: old))
        guard newCount > 0, let lastPiece = pieces.last else {
            machine.noteUnknownRegion()
            return
        }
        if space.areas.uncoveredPageCount(in: old) > 0 { machine.noteUnknownRegion() }
        let destination: UInt64
        if let result = request.result {
            guard result.isAligned(to: .size4KiB) else {
                machine.noteInconsistent()
                return
            }
            destination = result.pageNumber
        } else if request.flags.contains(.fixed), let fixed = request.newAddress, fixed.isAligned(to: .size4KiB) {
            destination = fixed.pageNumber
        } else if newCount <= old.pageCount
            || (newCount <= VirtualRange.pageLimit - old.lowerPage
                && space.areas.isFree(VirtualRange(pages: old.upperPage..<(old.lowerPage + newCount))))
        {
            destination = old.lowerPage
        } else if request.flags.contains(.mayMove),
            let gap = space.areas.topDownGap(pageCount: newCount, below: options.mmapBase.pageNumber, above: 16)
        {
            destination = gap
        } else {
            machine.report.failedPlacements += 1
            machine.report.noteUnmodelled(line: machine.line)
            return
        }
        guard newCount <= VirtualRange.pageLimit - destination else {
            machine.noteInconsistent()
            return
        }
        let target = VirtualRange(pages: destination..<(destination + newCount))
        let kept = min(old.pageCount, newCount)
        let keptRange = VirtualRange(pages: old.lowerPage..<(old.lowerPage + kept))
        // The areas of the kept part, moved; a grown tail takes the attributes of the last piece.
        var moved = pieces.compactMap { piece -> MemoryArea? in
            guard let inside = piece.range.intersection(keptRange) else { return nil }
            var area = piece
            area.range = VirtualRange(pages: (inside.lowerPage - old.lowerPage + destination)..<(inside.upperPage - old.lowerPage + destination))
            return area
        }
        if newCount > old.pageCount {
            var tail = lastPiece
            tail.range = VirtualRange(pages: (destination + old.pageCount)..<target.upperPage)
            moved.append(tail)
        }
        try transact(in: name, label: "mremap \(old) to \(target)") { machine, space, tx in
            let before = space.areas
            defer { space.lastArea = nil }
            if destination == old.lowerPage {
                if newCount < old.pageCount {
                    let tail = VirtualRange(pages: (old.lowerPage + newCount)..<old.upperPage)
                    try machine.unmapPages(in: tail, space: &space, tx)
                    space.areas.remove(tail)
                } else if newCount > old.pageCount, let grown = moved.last {
                    try machine.unmapPages(in: grown.range, space: &space, tx)
                    space.areas.remove(grown.range)
                    space.areas.insert(grown)
                }
                try machine.replaceAreas(changed: [target, old], from: before, to: space.areas, tx)
                return
            }
            for region in space.pages.largeRegions(overlapping: old) { try machine.demote(region, space: &space, tx) }
            let movedPages = space.pages.smallPages(in: keptRange).compactMap { page in
                space.pages.small[page].map { (page: page, frame: $0.frame, reserves: $0.reserves) }
            }
            // Take the moving pages out (their frames stay mapped), then unmap the rest of the
            // old range and whatever the target covers.
            if !movedPages.isEmpty { try tx.clear(keptRange, largePages: .reject) }
            for moving in movedPages {
                space.pages.removeSmall(moving.page)
                machine.pool.unmap(moving.frame, reserving: moving.reserves, keepingFrame: true)
            }
            try machine.unmapPages(in: old, space: &space, tx)
            if !request.flags.contains(.dontUnmap) { space.areas.remove(old) }
            try machine.unmapPages(in: target, space: &space, tx)
            space.areas.remove(target)
            for area in moved { space.areas.insert(area) }
            var entries: [MMUEntry] = []
            for moving in movedPages {
                let page = moving.page - old.lowerPage + destination
                guard let area = space.areas.area(containing: page) else { continue }
                let reserves = AddressSpace.isHugePageEligible(area) && FramePool.reserves(page: page, frame: moving.frame)
                machine.pool.map(moving.frame, reserving: reserves)
                space.pages.insertSmall(page, frame: moving.frame, reserves: reserves)
                space.dirtyRegions.insert(ResidentPages.region(of: page))
                entries.append(
                    MMUEntry(
                        VirtualAddress(pageNumber: page), to: PhysicalAddress(frameNumber: moving.frame),
                        protection: area.protection))
            }
            try tx.map(contentsOf: entries)
            try machine.replaceAreas(changed: [old, target], from: before, to: space.areas, tx)
        }
    }
}
