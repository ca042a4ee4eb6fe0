import CFaultVFS

/// The fault-injecting SQLite VFS of the `CFaultVFS` target, from Swift.
///
/// Its schedule and counters are process-global: tests that arm it in-process belong to one
/// `.serialized` suite, and the modes that end the process run in a child worker.
public enum FaultVFS {
    /// The name the VFS is registered under; open a store over it with
    /// `TranslationStore(path:creatingIfMissing:vfs: FaultVFS.name, durability:)`.
    public static let name = "mmufault"

    /// Registers the VFS (idempotent).
    ///
    /// - Throws: ``HarnessError`` when SQLite refuses the registration.
    public static func register() throws(HarnessError) {
        let code = mmufault_register(name)
        guard code == 0 else { throw HarnessError("could not register the fault VFS '\(name)': SQLite result code \(code)") }
    }

    /// Arms the schedule: the masked operations are numbered from 1, and `mode` applies to the
    /// operation numbered `point` (`0`: none, only counting).
    public static func arm(_ mode: Mode, at point: Int64, operations: Operations) {
        mmufault_arm(point, operations.rawValue, mode.rawValue32)
    }

    /// Stops injecting; counters keep their values.
    public static func disarm() { mmufault_disarm() }

    /// Disarms and zeroes every counter.
    public static func reset() { mmufault_reset() }

    /// The operations of each single kind in `kinds`, summed, since the last reset.
    public static func count(_ kinds: Operations) -> Int64 {
        Operations.each.filter { kinds.contains($0) }.reduce(0) { $0 + mmufault_count($1.rawValue) }
    }

    /// The masked operations seen since the schedule was armed.
    public static var points: Int64 { mmufault_points() }

    /// The faults injected since the last reset.
    public static var faults: Int64 { mmufault_faults() }

    /// The deletes that synced their directory since the last reset.
    public static var directorySyncs: Int64 { mmufault_directory_syncs() }

    /// The writes and truncates not yet made durable, in power-cut mode.
    public static var pendingUndoRecords: Int64 { mmufault_pending_undo_records() }

    /// The exit status of a worker ended by ``Mode/exit``.
    public static let exitStatus = Int32(MMUFAULT_EXIT_STATUS)
    /// The exit status of a worker ended by ``Mode/powerCut``.
    public static let powerCutStatus = Int32(MMUFAULT_POWER_CUT_STATUS)
}
