#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MMUCore

/// The address space of a live Linux process, read from `/proc`: its areas from
/// `/proc/PID/maps`, its present pages and their frames from `/proc/PID/pagemap`, and which
/// of them are 2 MiB transparent or hugetlb pages from `/proc/kpageflags`; ready to commit as
/// one transaction with ``apply(to:)``.
///
/// Frame numbers are real or absent, never invented: without `CAP_SYS_ADMIN` the kernel shows
/// every frame number as 0, and then the capture holds the areas and the page counts but no
/// entries (``frameNumbersVisible`` is `false`).
public struct ProcessCapture: Hashable, Sendable {
    /// The pid captured.
    public var processID: Int32
    /// The memory areas, sorted.
    public var areas: [MemoryArea]
    /// The present pages with their frames (4 KiB, or 2 MiB for huge pages), sorted; empty when
    /// frame numbers are hidden.
    public var entries: [MMUEntry]
    /// Pages present in memory (a 2 MiB page counts 512).
    public var presentPages = 0
    /// Pages swapped out: counted, not mapped.
    public var swappedPages = 0
    /// Present pages that are file-backed or shared anonymous memory.
    public var fileBackedPages = 0
    /// Pages of areas the kernel gave no pagemap entry for (such as `[vsyscall]`).
    public var unreadablePages = 0
    /// Whether frame numbers could be read; `false` when they all read as 0 (no `CAP_SYS_ADMIN`).
    public var frameNumbersVisible = true
    /// Whether `/proc/kpageflags` could be read to recognise huge pages.
    public var hugePagesChecked = false
    /// 2 MiB pages recognised.
    public var hugePages = 0
    /// Whether the 2 MiB entries come from the page tables (`PAGEMAP_SCAN`), rather than from
    /// `/proc/kpageflags` within the areas smaps shows holding PMD-mapped memory.
    public var hugePagesExact = false
    /// Present pages of private writable areas stored read-only: shared with another process or
    /// the page cache, or the zero page, so that the kernel maps them read-only until written.
    public var copyOnWritePages = 0

    /// How often a capture is tried while the process keeps changing its memory areas.
    public static let attempts = 3

    /// Captures the process with the given pid, all or nothing.
    ///
    /// The stat of the process (its state, exiting flag and start time) is read before and
    /// after, its maps before and after (for another process than this one), and every pagemap
    /// read must return all it was asked: a process that ends, runs another program or is
    /// replaced by another with the same pid is refused, never half read; one that changes its
    /// areas is tried again, up to ``attempts`` times.
    ///
    /// - Throws: ``CaptureError`` naming the pid and the file: an invalid pid, no such process,
    ///   a kernel thread, no permission, the process exited or kept changing during the capture,
    ///   a read error.
    /// - Complexity: O(*n*) in the pages of the process's areas.
    public static func capture(processID: Int32) throws(CaptureError) -> ProcessCapture {
        try capture(processID: processID, reading: readWhole)
    }

    /// Reads a whole text file of `/proc` (stat, maps, smaps).
    typealias ProcFileReader = (String) throws(POSIXFileError) -> [UInt8]

    /// ``capture(processID:)`` with the text files of `/proc` read through `reading`: the seam
    /// through which tests make a process change under the capture.
    static func capture(processID: Int32, reading: ProcFileReader) throws(CaptureError) -> ProcessCapture {
        guard processID > 0 else { throw .invalidProcessID(processID) }
        for attempt in 1...attempts {
            do {
                return try captureOnce(processID, reading: reading)
            } catch {
                guard case .changedDuringCapture = error else { throw error }
                if attempt == attempts { throw .changedDuringCapture(processID, attempts: attempts) }
            }
        }
        throw .changedDuringCapture(processID, attempts: attempts)
    }

    /// Captures the current process (`--self`). Its maps are read once: the capture allocates
    /// memory itself, which changes them.
    ///
    /// - Throws: ``CaptureError`` as ``capture(processID:)``.
    public static func captureCurrentProcess() throws(CaptureError) -> ProcessCapture {
        try capture(processID: getpid())
    }

    /// One attempt; ``CaptureError/changedDuringCapture(_:attempts:)`` when the maps changed.
    private static func captureOnce(_ processID: Int32, reading: ProcFileReader) throws(CaptureError) -> ProcessCapture {
        let directory = "/proc/\(processID)"
        let statPath = directory + "/stat"
        let before = try status(processID, missing: .noSuchProcess(processID), reading: reading)
        if before.isKernelThread { throw .noUserAddressSpace(processID) }
        if before.hasEnded { throw .processExited(processID, file: statPath) }
        let mapsPath = directory + "/maps"
        let text = try read(mapsPath, of: processID, missing: .processExited(processID, file: mapsPath), reading: reading)
        let maps = try ProcessMaps(parsing: String(decoding: text, as: UTF8.self), source: mapsPath)
        let pagemapPath = directory + "/pagemap"
        let pagemap = try open(pagemapPath, of: processID)
        var words: [[UInt64]] = []
        for mapping in maps.mappings {
            words.append(try readWords(pagemap, of: mapping, processID: processID))
        }
        let huge = try hugeMappingEvidence(pagemap, maps: maps, processID: processID, reading: reading)
        let flags = huge.isExact ? nil : try? POSIXFile(openingForReading: "/proc/kpageflags")
        let capture = assemble(
            processID: processID, maps: maps, pagemap: words, huge: huge,
            pageFlags: flags.map { file in { frame in (try? file.readWords(at: frame, count: 1))?.first } })
        let after = try status(processID, missing: .processExited(processID, file: statPath), reading: reading)
        guard after.startTime == before.startTime, !after.hasEnded else { throw .processExited(processID, file: statPath) }
        if processID != getpid(), try read(mapsPath, of: processID, missing: .processExited(processID, file: mapsPath), reading: reading) != text {
            throw .changedDuringCapture(processID, attempts: 1)
        }
        return capture
    }

    /// Where huge entries map: from `PAGEMAP_SCAN`, else from smaps.
    private static func hugeMappingEvidence(_ pagemap: POSIXFile, maps: ProcessMaps, processID: Int32, reading: ProcFileReader) throws(CaptureError)
        -> HugeMappingEvidence
    {
        let userEnd = maps.mappings.filter { !$0.isAboveUserSpace }.map(\.range.upperPage).max() ?? 0
        do {
            if let ranges = try PageTableScan.hugeRanges(pagemap, below: userEnd) { return .pageTables(ranges) }
        } catch {
            throw failure(error, pagemap.path, processID)
        }
        let smapsPath = "/proc/\(processID)/smaps"
        let smaps = try read(smapsPath, of: processID, missing: .processExited(processID, file: smapsPath), reading: reading)
        return HugeMappingEvidence.areas(fromSmaps: String(decoding: smaps, as: UTF8.self))
    }

    /// Builds a capture from what was read: the maps, each mapping's pagemap words, where huge
    /// entries may map, and a reader of `/proc/kpageflags` (`nil` when it could not be opened or
    /// is not needed).
    ///
    /// A page of a private writable area is stored without write permission when its pagemap
    /// entry shows it is shared with others or with the page cache (bit 56, exclusively mapped,
    /// clear, or bit 61, file page, set; the zero page is never exclusive): the kernel maps such a
    /// page read-only and copies it on the first write.
    static func assemble(
        processID: Int32, maps: ProcessMaps, pagemap: [[UInt64]], huge: HugeMappingEvidence, pageFlags: ((UInt64) -> UInt64?)?
    ) -> ProcessCapture {
        var capture = ProcessCapture(processID: processID, areas: maps.areas, entries: [])
        capture.hugePagesChecked = huge.isExact || pageFlags != nil
        capture.hugePagesExact = huge.isExact
        var present: [(page: UInt64, frame: UInt64, protection: Protection, area: UInt64)] = []
        for (mapping, words) in zip(maps.mappings, pagemap) {
            capture.unreadablePages += Int(mapping.range.pageCount) - words.count
            let copyOnWrite = !mapping.isShared && mapping.protection.contains(.write)
            for (offset, word) in words.enumerated() {
                let entry = PagemapEntry(rawValue: word)
                if entry.isSwapped { capture.swappedPages += 1 }
                guard let frame = entry.frameNumber else { continue }
                capture.presentPages += 1
                if entry.isFileOrSharedAnonymous { capture.fileBackedPages += 1 }
                var protection = mapping.protection
                if copyOnWrite, entry.isFileOrSharedAnonymous || !entry.isExclusive {
                    protection.remove(.write)
                    capture.copyOnWritePages += 1
                }
                present.append((mapping.range.lowerPage + UInt64(offset), frame, protection, mapping.range.lowerPage))
            }
        }
        capture.frameNumbersVisible = present.isEmpty || present.contains { $0.frame != 0 }
        guard capture.frameNumbersVisible else { return capture }
        var index = 0
        let span = Int(PageSize.size2MiB.pageCount)
        while index < present.count {
            let first = present[index]
            if first.page % PageSize.size2MiB.pageCount == 0, first.frame % PageSize.size2MiB.pageCount == 0,
                index + span <= present.count,
                present[index + span - 1].page == first.page + PageSize.size2MiB.pageCount - 1,
                present[index + span - 1].frame == first.frame + PageSize.size2MiB.pageCount - 1,
                huge.allowsHugeEntry(at: first.page, inAreaStartingAt: first.area),
                (index..<(index + span)).allSatisfy({
                    present[$0].page - first.page == present[$0].frame - first.frame && present[$0].protection == first.protection
                        && present[$0].area == first.area
                }),
                huge.isExact || isHugePageHead(first.frame, pageFlags)
            {
                capture.entries.append(
                    MMUEntry(
                        VirtualAddress(pageNumber: first.page), to: PhysicalAddress(frameNumber: first.frame), size: .size2MiB,
                        protection: first.protection))
                capture.hugePages += 1
                index += span
                continue
            }
            capture.entries.append(
                MMUEntry(VirtualAddress(pageNumber: first.page), to: PhysicalAddress(frameNumber: first.frame), protection: first.protection))
            index += 1
        }
        return capture
    }

    /// Whether `/proc/kpageflags` marks the frame as the head of a transparent or hugetlb page.
    private static func isHugePageHead(_ frame: UInt64, _ pageFlags: ((UInt64) -> UInt64?)?) -> Bool {
        guard let flags = pageFlags?(frame) else { return false }
        return flags & KernelPageFlags.compoundHead != 0 && flags & (KernelPageFlags.transparentHuge | KernelPageFlags.huge) != 0
    }

    /// Makes the set hold the capture, writing only what differs from what it holds: areas and
    /// entries the set already holds as captured are left alone (a recapture of an unchanged
    /// process writes nothing), the others are removed, and the new ones written (frames only
    /// when ``frameNumbersVisible``). When no area stays, all are replaced in one operation.
    ///
    /// - Throws: What the transaction's operations throw (an entry the set's architecture cannot hold).
    public func apply(to transaction: TranslationSet.Transaction) throws {
        let everything = VirtualRange.everything
        let existingAreas = try transaction.areas(overlapping: everything)
        let wantedAreas = Set(areas), heldAreas = Set(existingAreas)
        if wantedAreas.isDisjoint(with: heldAreas) {
            try transaction.replaceAreas(in: everything, with: areas)
        } else {
            for area in existingAreas where !wantedAreas.contains(area) {
                try transaction.replaceAreas(in: area.range, with: [])
            }
            for area in areas where !heldAreas.contains(area) {
                try transaction.replaceAreas(in: area.range, with: [area])
            }
        }
        let existing = try transaction.entries(overlapping: everything)
        let wanted = Set(entries), held = Set(existing)
        var run: Range<UInt64>?
        for entry in existing {
            if wanted.contains(entry) {
                if let pages = run { try transaction.clear(VirtualRange(pages: pages)) }
                run = nil
            } else {
                run = (run?.lowerBound ?? entry.pageNumber)..<entry.range.upperPage
            }
        }
        if let pages = run { try transaction.clear(VirtualRange(pages: pages)) }
        try transaction.map(contentsOf: entries.filter { !held.contains($0) })
    }

    // MARK: Reading /proc

    private static func open(_ path: String, of pid: Int32) throws(CaptureError) -> POSIXFile {
        do {
            return try POSIXFile(openingForReading: path)
        } catch {
            throw failure(error, path, pid)
        }
    }

    /// The whole of the file at `path`.
    private static func readWhole(_ path: String) throws(POSIXFileError) -> [UInt8] {
        try POSIXFile(openingForReading: path).readToEnd()
    }

    private static func read(_ path: String, of pid: Int32, missing: CaptureError, reading: ProcFileReader) throws(CaptureError) -> [UInt8] {
        do {
            return try reading(path)
        } catch where error.isMissing {
            throw missing
        } catch {
            throw failure(error, path, pid)
        }
    }

    /// The pagemap words of a mapping. A read that returns fewer than asked means the process's
    /// memory is gone (it exited or ran another program), except above user space (`[vsyscall]`),
    /// where the kernel gives no entries: then the words read so far are returned.
    static func readWords(_ file: POSIXFile, of mapping: ProcessMaps.Mapping, processID pid: Int32) throws(CaptureError)
        -> [UInt64]
    {
        var words: [UInt64] = []
        var next = mapping.range.lowerPage
        let end = mapping.range.upperPage
        while next < end {
            let chunk = Int(min(end - next, 1 << 16))
            let read: [UInt64]
            do {
                read = try file.readWords(at: next, count: chunk)
            } catch where error.code == EINVAL && mapping.isAboveUserSpace {
                return words
            } catch {
                throw failure(error, file.path, pid)
            }
            words += read
            if read.count < chunk {
                guard mapping.isAboveUserSpace else { throw .processExited(pid, file: file.path) }
                return words
            }
            next += UInt64(chunk)
        }
        return words
    }

    /// The process's stat, parsed.
    private static func status(_ pid: Int32, missing: CaptureError, reading: ProcFileReader) throws(CaptureError) -> ProcessStatus {
        let path = "/proc/\(pid)/stat"
        let text = String(decoding: try read(path, of: pid, missing: missing, reading: reading), as: UTF8.self)
        guard let status = ProcessStatus(parsing: text) else {
            throw .unreadable(pid, file: path, message: "expected 'pid (comm) state ppid ...' with 22 fields or more")
        }
        return status
    }

    private static func failure(_ error: POSIXFileError, _ path: String, _ pid: Int32) -> CaptureError {
        if error.isMissing { return .processExited(pid, file: path) }
        if error.isPermissionDenied { return .permissionDenied(pid, file: path) }
        return .unreadable(pid, file: path, message: error.message)
    }
}
