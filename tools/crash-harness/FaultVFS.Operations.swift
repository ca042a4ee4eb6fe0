import CFaultVFS

extension FaultVFS {
    /// Kinds of I/O operation, as a mask.
    public struct Operations: OptionSet, Hashable, Sendable, CustomStringConvertible {
        /// The MMUFAULT_* bits.
        public let rawValue: UInt32

        /// Creates a mask from MMUFAULT_* bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// `xWrite`.
        public static let write = Operations(rawValue: MMUFAULT_WRITE)
        /// `xSync`.
        public static let sync = Operations(rawValue: MMUFAULT_SYNC)
        /// `xTruncate`.
        public static let truncate = Operations(rawValue: MMUFAULT_TRUNCATE)
        /// `xRead`.
        public static let read = Operations(rawValue: MMUFAULT_READ)
        /// `xOpen`.
        public static let open = Operations(rawValue: MMUFAULT_OPEN)
        /// `xDelete`, with its directory sync.
        public static let delete = Operations(rawValue: MMUFAULT_DELETE)
        /// `xShmMap` and lock-taking `xShmLock`.
        public static let shm = Operations(rawValue: MMUFAULT_SHM)
        /// Every kind.
        public static let all = Operations(rawValue: MMUFAULT_ALL)

        /// Each single kind, with its name.
        public static let named: [(String, Operations)] = [
            ("write", .write), ("sync", .sync), ("truncate", .truncate), ("read", .read), ("open", .open),
            ("delete", .delete), ("shm", .shm),
        ]

        /// Each single kind.
        public static var each: [Operations] { named.map(\.1) }

        /// Parses `write,sync,…` or `all`.
        ///
        /// - Throws: ``HarnessError`` naming an unknown kind.
        public init(parsing text: String) throws(HarnessError) {
            var result: Operations = []
            for name in text.split(separator: ",").map(String.init) {
                if name == "all" {
                    result.formUnion(.all)
                } else if let kind = Self.named.first(where: { $0.0 == name })?.1 {
                    result.formUnion(kind)
                } else {
                    throw HarnessError("unknown operation kind '\(name)' (expected all or \(Self.named.map(\.0).joined(separator: ", ")))")
                }
            }
            self = result
        }

        /// `write,sync,…`.
        public var description: String {
            self == .all ? "all" : Self.named.filter { contains($0.1) }.map(\.0).joined(separator: ",")
        }
    }
}
