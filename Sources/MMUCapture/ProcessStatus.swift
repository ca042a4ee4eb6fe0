/// The fields of `/proc/PID/stat` a capture compares before and after its reads
/// (Documentation/filesystems/proc.rst, table 1-4).
struct ProcessStatus: Hashable, Sendable {
    /// Field 3: `R`, `S`, `D`, `T`, `Z` (zombie), `X` (dead), ...
    var state: Character
    /// Field 9: the kernel's `PF_*` flags.
    var flags: UInt64
    /// Field 22: when the process started, in clock ticks after boot; a reused pid has another.
    var startTime: UInt64

    /// `PF_KTHREAD`: a kernel thread, which has no user address space.
    var isKernelThread: Bool { flags & 0x0020_0000 != 0 }

    /// `PF_EXITING`: the process is ending. It is set before the process lets go of its memory,
    /// and while that memory is freed (long for a large process), the state still reads
    /// running and its maps and pagemap read as empty.
    var isExiting: Bool { flags & 0x0000_0004 != 0 }

    /// Whether the process has ended or is ending (a zombie, dead, or exiting): its memory is
    /// gone or going.
    var hasEnded: Bool { state == "Z" || state == "X" || state == "x" || isExiting }

    /// Parses the text of a stat file; `nil` for another shape. The command name (field 2) may
    /// hold spaces and parentheses, so fields are counted from its last `)`.
    init?(parsing text: String) {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 20, let state = fields[0].first, fields[0].count == 1,
            let flags = UInt64(fields[6]), let startTime = UInt64(fields[19])
        else { return nil }
        self.state = state
        self.flags = flags
        self.startTime = startTime
    }
}
