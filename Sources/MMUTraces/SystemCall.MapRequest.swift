import MMUCore

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
}
