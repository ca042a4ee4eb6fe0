import MMUCore

/// A memory system call of a traced process, with the arguments the simulation needs and, where
/// the trace recorded it, the result the kernel returned.
///
/// Only calls that succeeded become `SystemCall`s; a failed call (`= -1 ENOMEM …`) changes
/// nothing and the parser counts it instead (``TraceStatistics/failedCalls``). Lengths are in
/// bytes, as passed; the simulation rounds them up to whole 4 KiB pages as Linux does.
public enum SystemCall: Hashable, Sendable {
    /// `mmap` or `mmap2` (whose page-unit offset is converted to bytes).
    case mmap(MapRequest)
    /// `munmap(address, length)`.
    case munmap(address: VirtualAddress, length: UInt64)
    /// `mprotect` or `pkey_mprotect`.
    case mprotect(address: VirtualAddress, length: UInt64, protection: Protection)
    /// `brk(requested)`: `result` is the program break after the call (on failure the kernel
    /// returns the old break, so the result is always the truth).
    case brk(requested: VirtualAddress?, result: VirtualAddress)
    /// `mremap`.
    case mremap(RemapRequest)
    /// `madvise` with an advice that drops pages (`MADV_DONTNEED`, `MADV_REMOVE`); other advice
    /// changes no translation and is not reported.
    case discardPages(address: VirtualAddress, length: UInt64)

    /// The system call's name, as `strace` prints it.
    public var name: String {
        switch self {
        case .mmap: "mmap"
        case .munmap: "munmap"
        case .mprotect: "mprotect"
        case .brk: "brk"
        case .mremap: "mremap"
        case .discardPages: "madvise"
        }
    }
}

extension SystemCall: CustomStringConvertible {
    /// The call in `strace`-like form.
    public var description: String {
        func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
        switch self {
        case .mmap(let request):
            let result = request.result.map { " = \($0)" } ?? ""
            let file = request.fileDescriptor < 0 ? "" : " fd \(request.fileDescriptor) \(request.path) +\(hex(request.offset))"
            return "mmap(\(request.address?.description ?? "NULL"), \(hex(request.length)), \(request.protection), \(request.flags)\(file))\(result)"
        case .munmap(let address, let length):
            return "munmap(\(address), \(hex(length)))"
        case .mprotect(let address, let length, let protection):
            return "mprotect(\(address), \(hex(length)), \(protection))"
        case .brk(let requested, let result):
            return "brk(\(requested?.description ?? "NULL")) = \(result)"
        case .mremap(let request):
            let result = request.result.map { " = \($0)" } ?? ""
            return "mremap(\(request.oldAddress), \(hex(request.oldLength)), \(hex(request.newLength)), \(request.flags))\(result)"
        case .discardPages(let address, let length):
            return "madvise(\(address), \(hex(length)), MADV_DONTNEED)"
        }
    }
}
