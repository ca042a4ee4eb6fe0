import CFaultVFS

extension FaultVFS {
    /// What happens at the scheduled operation.
    public enum Mode: String, CaseIterable, Sendable {
        /// Only count the masked operations.
        case count
        /// The operation fails once.
        case transient
        /// The operation and every later masked one fail.
        case persistent
        /// As persistent, with writes failing as "disk full" (SQLITE_FULL).
        case diskFull
        /// The process ends (`_exit`) before the operation: kill -9 at an exact point.
        case exit
        /// Unsynced writes are undone, newest first, then the process ends.
        case powerCut

        /// The C constant.
        var rawValue32: Int32 {
            switch self {
            case .count: MMUFAULT_MODE_COUNT
            case .transient: MMUFAULT_MODE_TRANSIENT
            case .persistent: MMUFAULT_MODE_PERSISTENT
            case .diskFull: MMUFAULT_MODE_DISK_FULL
            case .exit: MMUFAULT_MODE_EXIT
            case .powerCut: MMUFAULT_MODE_POWER_CUT
            }
        }
    }
}
