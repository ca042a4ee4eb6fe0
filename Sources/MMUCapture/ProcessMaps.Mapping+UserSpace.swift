import MMUCore

extension ProcessMaps.Mapping {
    /// Whether the mapping lies in the upper half of the address space (`[vsyscall]`), for which
    /// `/proc/PID/pagemap` has no entries.
    var isAboveUserSpace: Bool { range.lowerPage >= 1 << (63 - PageSize.minimumShift) }
}
