import MMUCore

extension PageTableFormat {
    /// What survives encoding `entry` in this format: building a table from a set and importing
    /// it back gives exactly the normalized entries.
    ///
    /// Every format pre-sets the accessed bit of every entry (x86 A, AArch64 AF, RISC-V A,
    /// IA-64 a, PowerPC R), so ``MMUEntry/Attributes/accessed`` is always set, and encodes
    /// ``MMUEntry/Attributes/dirty`` exactly (x86 D, AArch64 software bit 55 as Linux's
    /// `PTE_DIRTY`, RISC-V D, IA-64 d, PowerPC C). The rest, per format:
    ///
    /// - x86-64 and i386 PAE: a present page is always readable, so `.read` is added; `.write`,
    ///   `.execute` (XD, EFER.NXE = 1), `.user`, global (G) and all four cache modes (PAT index
    ///   0 WB, 1 WT, 2 WC, 3 UC under the manifest's PAT MSR) are kept.
    /// - i386 (non-PAE): as x86-64, but there is no execute-disable bit, so `.execute` is added.
    /// - AArch64: a valid page is always readable at EL1 (AP has no "no access" for EL1), so
    ///   `.read` is added; all cache modes are kept (MAIR index 0 WB, 1 WT, 2 Normal-NC for WC,
    ///   3 Device-nGnRnE for UC), global is !nG.
    /// - RISC-V: a leaf needs R or X and W needs R, so `.read` is added when the entry has
    ///   neither read nor execute, or has write without read (execute-only pages are kept).
    ///   Cache modes use Svpbmt (WB → PMA, WC → NC, UC → IO); write-through has no encoding and
    ///   becomes write-back.
    /// - IA-64 (both VHPT formats): `.read` is added (access rights 0–3 all grant read); there
    ///   is no global bit (sharing is by region ID), so `.global` is dropped; write-through has
    ///   no memory attribute and becomes write-back (ma 0).
    /// - PowerPC HPT: `.read` is added (every PP value grants read to someone); no global bit
    ///   (sharing is by VSID), so `.global` is dropped; an uncached page is guarded (WIMG G = 1)
    ///   and guarded pages cannot be executed, so `.execute` is dropped from uncached pages.
    public func normalized(_ entry: MMUEntry) -> MMUEntry {
        var result = entry
        var protection = entry.protection
        result.attributes.insert(.accessed)
        switch family {
        case .x86(let mode):
            protection.insert(.read)
            if mode == .legacy { protection.insert(.execute) }
        case .aarch64:
            protection.insert(.read)
        case .riscv:
            let hasRead = protection.contains(.read)
            if !hasRead && (protection.contains(.write) || !protection.contains(.execute)) { protection.insert(.read) }
            if result.cacheMode == .writeThrough { result.cacheMode = .writeBack }
        case .ia64Long, .ia64Short:
            protection.insert(.read)
            result.attributes.remove(.global)
            if result.cacheMode == .writeThrough { result.cacheMode = .writeBack }
        case .ppc64:
            protection.insert(.read)
            result.attributes.remove(.global)
            if result.cacheMode == .uncached { protection.remove(.execute) }
        }
        result.protection = protection
        return result
    }

    /// The rights a (normalized) canonical protection gives at each privilege level in this
    /// format, under the control-register values the manifest records.
    ///
    /// The common rule: the kernel has the read, write and execute rights the protection lists,
    /// and user mode has them too when `.user` is set (none otherwise). Per format:
    ///
    /// - x86 (all four): CR0.WP = 1 (read-only binds the kernel too), CR4.SMEP = SMAP = 0 (the
    ///   kernel may read, write and execute user pages as their bits allow): the common rule.
    /// - AArch64: the common rule, except that a page writable at EL0 is never executable at
    ///   EL1 (the architecture's implicit PXN); SCTLR_EL1.WXN = 0, PAN off. (An image exported
    ///   under ``ExportConvention/linux`` also has PXN on every user page: EL1 executes none.)
    /// - RISC-V: sstatus.SUM = 1 and MXR = 0: S-mode may read and write user pages but never
    ///   execute them; user mode gets nothing from a supervisor page. (Under
    ///   ``ExportConvention/linux``'s SUM = 0 the hardware also refuses S-mode loads and stores
    ///   to user pages; the walk ignores SUM and gives these rights.)
    /// - IA-64: user pages have pl = 3 and kernel pages pl = 0 with ar 0–3 (R, RX, RW, RWX), so
    ///   the common rule holds; in addition, a store to a page whose dirty bit is clear raises
    ///   a Dirty-bit fault (see ``faultsOnStoreToCleanPage``).
    /// - PowerPC: Ks = 0, Kp = 1 (as Linux): PP 0 kernel RW / user none, 1 kernel RW / user R,
    ///   2 RW / RW, 3 R / R, PP0|2 kernel R / user none; execute needs N = 0 and G = 0: the
    ///   common rule.
    public func rights(for protection: Protection) -> AccessRights {
        let rwx = protection.intersection([.read, .write, .execute])
        let user: Protection = protection.contains(.user) ? rwx : []
        var kernel = rwx
        switch family {
        case .aarch64:
            if protection.isSuperset(of: [.user, .write]) { kernel.remove(.execute) }
        case .riscv:
            if protection.contains(.user) { kernel.remove(.execute) }
        case .x86, .ia64Long, .ia64Short, .ppc64:
            break
        }
        return AccessRights(kernel: kernel, user: user)
    }

    /// Whether a store to a writable page whose dirty bit is clear faults (IA-64's Dirty-bit
    /// fault; every other format sets the dirty bit in hardware, or keeps it in software).
    public var faultsOnStoreToCleanPage: Bool {
        switch family {
        case .ia64Long, .ia64Short: true
        default: false
        }
    }

    /// The canonical protection that rights found by a walk stand for: read, write and
    /// execute when either level has them, and `.user` when user mode has any right.
    static func protection(from rights: AccessRights) -> Protection {
        let kernel = rights.protection(for: .kernel), user = rights.protection(for: .user)
        var protection = kernel.union(user)
        if !user.isEmpty { protection.insert(.user) }
        return protection
    }
}
