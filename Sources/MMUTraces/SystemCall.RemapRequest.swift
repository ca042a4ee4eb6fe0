import MMUCore

extension SystemCall {
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
