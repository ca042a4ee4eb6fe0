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

    /// Captures the process with the given pid.
    ///
    /// - Throws: ``CaptureError`` naming the pid and the file: no such process, no permission,
    ///   the process exited during the capture (nothing is returned half-read), a read error.
    /// - Complexity: O(*n*) in the pages of the process's areas.
    public static func capture(processID: Int32) throws(CaptureError) -> ProcessCapture {
        let directory = "/proc/\(processID)"
        let mapsPath = directory + "/maps"
        let text = try read(mapsPath, of: processID, missing: .noSuchProcess(processID))
        let maps = try ProcessMaps(parsing: String(decoding: text, as: UTF8.self), source: mapsPath)
        let pagemapPath = directory + "/pagemap"
        let pagemap = try open(pagemapPath, of: processID)
        var words: [[UInt64]] = []
        for mapping in maps.mappings {
            words.append(try readWords(pagemap, at: mapping.range.lowerPage, count: mapping.range.pageCount, of: processID))
        }
        let flags = try? POSIXFile(openingForReading: "/proc/kpageflags")
        let capture = assemble(
            processID: processID, maps: maps, pagemap: words,
            pageFlags: flags.map { file in { frame in (try? file.readWords(at: frame, count: 1))?.first } })
        try confirmAlive(processID)
        return capture
    }

    /// Captures the current process (`--self`).
    ///
    /// - Throws: ``CaptureError`` as ``capture(processID:)``.
    public static func captureCurrentProcess() throws(CaptureError) -> ProcessCapture {
        try capture(processID: getpid())
    }

    /// Builds a capture from what was read: the maps, each mapping's pagemap words, and a reader
    /// of `/proc/kpageflags` (`nil` when it could not be opened).
    static func assemble(
        processID: Int32, maps: ProcessMaps, pagemap: [[UInt64]], pageFlags: ((UInt64) -> UInt64?)?
    ) -> ProcessCapture {
        var capture = ProcessCapture(processID: processID, areas: maps.areas, entries: [])
        capture.hugePagesChecked = pageFlags != nil
        var present: [(page: UInt64, frame: UInt64, protection: Protection)] = []
        for (mapping, words) in zip(maps.mappings, pagemap) {
            capture.unreadablePages += Int(mapping.range.pageCount) - words.count
            for (offset, word) in words.enumerated() {
                let entry = PagemapEntry(rawValue: word)
                if entry.isSwapped { capture.swappedPages += 1 }
                guard let frame = entry.frameNumber else { continue }
                capture.presentPages += 1
                if entry.isFileOrSharedAnonymous { capture.fileBackedPages += 1 }
                present.append((mapping.range.lowerPage + UInt64(offset), frame, mapping.protection))
            }
        }
        capture.frameNumbersVisible = present.isEmpty || present.contains { $0.frame != 0 }
        guard capture.frameNumbersVisible else { return capture }
        var index = 0
        while index < present.count {
            let first = present[index]
            let span = Int(FramePool.blockPages)
            if let pageFlags, first.page % FramePool.blockPages == 0, first.frame % FramePool.blockPages == 0,
                index + span <= present.count,
                present[index + span - 1].page == first.page + FramePool.blockPages - 1,
                present[index + span - 1].frame == first.frame + FramePool.blockPages - 1,
                (index..<(index + span)).allSatisfy({
                    present[$0].page - first.page == present[$0].frame - first.frame && present[$0].protection == first.protection
                }),
                let flags = pageFlags(first.frame), flags & KernelPageFlags.compoundHead != 0,
                flags & (KernelPageFlags.transparentHuge | KernelPageFlags.huge) != 0
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

    /// Replaces everything in the set by the capture: every entry and area is cleared, then the
    /// areas and entries are written (frames only when ``frameNumbersVisible``).
    ///
    /// - Throws: What the transaction's operations throw (an entry the set's architecture cannot hold).
    public func apply(to transaction: TranslationSet.Transaction) throws {
        let everything = SimulatedMachine.everything
        try transaction.clear(everything, largePages: .demote)
        try transaction.replaceAreas(in: everything, with: areas)
        try transaction.map(contentsOf: entries)
    }

    // MARK: Reading /proc

    private static func open(_ path: String, of pid: Int32) throws(CaptureError) -> POSIXFile {
        do {
            return try POSIXFile(openingForReading: path)
        } catch {
            throw failure(error, path, pid)
        }
    }

    private static func read(_ path: String, of pid: Int32, missing: CaptureError) throws(CaptureError) -> [UInt8] {
        do {
            return try POSIXFile(openingForReading: path).readToEnd()
        } catch where error.isMissing {
            throw missing
        } catch {
            throw failure(error, path, pid)
        }
    }

    private static func readWords(_ file: POSIXFile, at page: UInt64, count: UInt64, of pid: Int32) throws(CaptureError)
        -> [UInt64]
    {
        var words: [UInt64] = []
        var next = page
        let end = page + count
        while next < end {
            let chunk = Int(min(end - next, 1 << 16))
            let read: [UInt64]
            do {
                read = try file.readWords(at: next, count: chunk)
            } catch where error.code == EINVAL {
                return words
            } catch {
                throw failure(error, file.path, pid)
            }
            words += read
            if read.count < chunk { break }
            next += UInt64(chunk)
        }
        return words
    }

    /// Checks that the process still runs (not gone, not a zombie) after the reads.
    private static func confirmAlive(_ pid: Int32) throws(CaptureError) {
        let path = "/proc/\(pid)/stat"
        let stat = try read(path, of: pid, missing: .processExited(pid, file: path))
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { throw .unreadable(pid, file: path, message: "no command name") }
        let state = text[text.index(after: close)...].drop { $0 == " " }.first
        if state == "Z" || state == "X" { throw .processExited(pid, file: path) }
    }

    private static func failure(_ error: POSIXFileError, _ path: String, _ pid: Int32) -> CaptureError {
        if error.isMissing { return .processExited(pid, file: path) }
        if error.isPermissionDenied { return .permissionDenied(pid, file: path) }
        return .unreadable(pid, file: path, message: error.message)
    }
}
