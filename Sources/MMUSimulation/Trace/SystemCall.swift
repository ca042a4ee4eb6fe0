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

extension SystemCall {
    /// The arguments and result of an `mmap`.
    public struct MapRequest: Hashable, Sendable {
        /// The address hint (or, with ``MapFlags/fixed``, the required address); `nil` for `NULL`.
        public var address: VirtualAddress?
        /// The length in bytes.
        public var length: UInt64
        /// The protection the pages get (the user bit is set: these are user mappings).
        public var protection: Protection
        /// The `MAP_` flags.
        public var flags: MapFlags
        /// The file descriptor; -1 for an anonymous mapping.
        public var fileDescriptor: Int32
        /// The file's path when the trace shows it (`strace -y`); empty otherwise.
        public var path: String
        /// The offset in the file, in bytes.
        public var offset: UInt64
        /// The address the kernel chose, when the trace recorded it.
        public var result: VirtualAddress?

        /// Creates a request.
        public init(
            address: VirtualAddress?, length: UInt64, protection: Protection, flags: MapFlags,
            fileDescriptor: Int32 = -1, path: String = "", offset: UInt64 = 0, result: VirtualAddress? = nil
        ) {
            self.address = address
            self.length = length
            self.protection = protection
            self.flags = flags
            self.fileDescriptor = fileDescriptor
            self.path = path
            self.offset = offset
            self.result = result
        }
    }

    /// The arguments and result of an `mremap`.
    public struct RemapRequest: Hashable, Sendable {
        /// The start of the mapping to remap.
        public var oldAddress: VirtualAddress
        /// Its length in bytes.
        public var oldLength: UInt64
        /// The new length in bytes.
        public var newLength: UInt64
        /// The `MREMAP_` flags.
        public var flags: RemapFlags
        /// The required new address (`MREMAP_FIXED`).
        public var newAddress: VirtualAddress?
        /// The address the mapping has after the call, when the trace recorded it.
        public var result: VirtualAddress?

        /// Creates a request.
        public init(
            oldAddress: VirtualAddress, oldLength: UInt64, newLength: UInt64, flags: RemapFlags,
            newAddress: VirtualAddress? = nil, result: VirtualAddress? = nil
        ) {
            self.oldAddress = oldAddress
            self.oldLength = oldLength
            self.newLength = newLength
            self.flags = flags
            self.newAddress = newAddress
            self.result = result
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
