import MMUCore

extension PageTableImage {
    /// The registers of ``ExportConvention/linux`` (CR4 without LA57).
    static let linuxRegisters: [String: UInt64] = [
        "cr0": 0x8005_0033, "cr4": 0x6B0 | 1 << 20 | 1 << 21, "efer": 0xD01, "pat": 0x0407_0506_0007_0106,
    ]

    /// The image rewritten to follow `convention`.
    ///
    /// - Parameter entries: The entries the image was built from, sorted by address (a set's
    ///   `entries`): their accessed bits, which MMUStore's own export always sets. A leaf no
    ///   entry covers keeps its A bit.
    /// - Throws: ``ImageError/unsupportedConvention(_:format:)`` for a convention the format
    ///   has none of (Linux's is written for x86-64, AArch64 and RISC-V).
    /// - Complexity: O(table pages · entries per page).
    public func following(_ convention: ExportConvention, entries: [MMUEntry]) throws(ImageError) -> PageTableImage {
        guard convention == .linux else { return self }
        switch PageTableFormat(named: manifest.format)?.family {
        case .aarch64(let virtualBits): return try followingLinuxOnAArch64(lastLevel: virtualBits == 48 ? 3 : 2)
        case .riscv: return followingLinuxOnRISCV()
        default: break
        }
        let fiveLevel = manifest.format == "x86_64-5level"
        guard fiveLevel || manifest.format == "x86_64-4level" else {
            throw .unsupportedConvention(convention.rawValue, format: manifest.format)
        }
        guard let cr3 = manifest.root["cr3"].flatMap(ImageManifest.value), let root = store.slot(ofFrame: cr3 >> 12) else {
            throw .missingRegister("cr3")
        }
        var converted = self
        var registers = Self.linuxRegisters
        if fiveLevel { registers["cr4", default: 0] |= 1 << 12 }
        converted.manifest.registers = registers.mapValues(ImageManifest.hex)
        converted.manifest.parameters["convention"] = convention.rawValue
        var rewriter = LinuxLeafRewriter(store: store, entries: entries, lastLevel: fiveLevel ? 4 : 3)
        try rewriter.rewrite(slot: root, level: 0)
        converted.store = rewriter.store
        return converted
    }
}

extension PageTableImage {
    /// Linux's `sstatus` while the kernel runs: SUM = 0 (supervisor loads and stores to user
    /// pages fault outside Linux's uaccess routines), MXR = 0, UXL = 2 (64-bit user mode), the
    /// FPU and vector units off.
    static let linuxSupervisorStatus: UInt64 = 2 << 32

    /// AArch64 under Linux: PXN on every leaf EL0 may access (AP[1] set), as Linux's
    /// `PROT_USER` mappings have it; kernel leaves keep their bits (PXN exactly where they are
    /// not executable, as Linux's `PAGE_KERNEL` and `PAGE_KERNEL_EXEC`).
    ///
    /// - Parameter lastLevel: The index of the page level (3 with 48-bit halves, 2 with 39).
    private func followingLinuxOnAArch64(lastLevel: Int) throws(ImageError) -> PageTableImage {
        var converted = self
        converted.manifest.parameters["convention"] = ExportConvention.linux.rawValue
        let roots = try manifest.rootValues()
        for name in ["ttbr0_el1", "ttbr1_el1"] {
            guard let base = roots[name], let root = store.slot(ofFrame: (base & 0x0000_FFFF_FFFF_F000) >> 12) else {
                throw .missingRegister(name)
            }
            try converted.setPrivilegedExecuteNeverOnUserLeaves(slot: root, level: 0, lastLevel: lastLevel)
        }
        return converted
    }

    /// Sets PXN (bit 53) on every block or page descriptor with AP[1] (bit 6, EL0 access) under
    /// the table at `slot`, depth first.
    private mutating func setPrivilegedExecuteNeverOnUserLeaves(slot: Int, level: Int, lastLevel: Int) throws(ImageError) {
        for index in 0..<FrameStore.wordsPerPage {
            let raw = store[slot, index]
            guard raw & 1 != 0 else { continue }
            // Below the last level, bits[1:0] = 11 is a table and 01 a block; at it, 11 a page.
            if level < lastLevel && raw & 3 == 3 {
                let address = raw & 0x0000_FFFF_FFFF_F000
                guard let child = store.slot(ofFrame: address >> 12) else {
                    throw .tablePointerOutsideTables(entryAddress: PhysicalAddress(store.frame(ofSlot: slot) << 12 + UInt64(index * 8)), target: PhysicalAddress(address))
                }
                try setPrivilegedExecuteNeverOnUserLeaves(slot: child, level: level + 1, lastLevel: lastLevel)
            } else if raw & 1 << 6 != 0 {
                store[slot, index] = raw | 1 << 53
            }
        }
    }

    /// RISC-V under Linux: the PTEs are MMUStore's (Linux's leaves and non-leaf PTEs have the
    /// same bits), `sstatus` is Linux's (``linuxSupervisorStatus``).
    private func followingLinuxOnRISCV() -> PageTableImage {
        var converted = self
        converted.manifest.parameters["convention"] = ExportConvention.linux.rawValue
        converted.manifest.registers["sstatus"] = ImageManifest.hex(Self.linuxSupervisorStatus)
        return converted
    }
}

/// Rewrites an MMUStore x86-64 export's entries to Linux's conventions, depth first in address
/// order, so that leaves meet `entries` (the ones covering them) in order.
private struct LinuxLeafRewriter {
    var store: FrameStore
    let entries: [MMUEntry]
    let lastLevel: Int
    var next = 0

    /// PWT, PCD and the PAT bit of a 4 KiB leaf (bit 7) or a large one (bit 12), by cache mode,
    /// under Linux's PAT: WB 0, WC 1 (PWT), UC- 2 (PCD), WT 7 (PAT | PCD | PWT).
    static func cacheBits(_ mode: CacheMode, large: Bool) -> UInt64 {
        let pat: UInt64 = large ? 1 << 12 : 1 << 7
        return switch mode {
        case .writeBack: 0
        case .writeCombining: 1 << 3
        case .uncached: 1 << 4
        case .writeThrough: pat | 1 << 4 | 1 << 3
        }
    }

    /// The lowest virtual-address bit a level's index takes.
    func shift(_ level: Int) -> UInt64 { UInt64(12 + 9 * (lastLevel - level)) }

    /// The canonical address of index bits (sign-extended from bit 47 or 56).
    func virtualAddress(prefix: UInt64) -> UInt64 {
        let top = shift(0) + 8
        return prefix & (1 << top) != 0 ? prefix | ~((1 << (top + 1)) - 1) : prefix
    }

    /// The entry covering `address`, moving the cursor forward (leaves come in address order).
    mutating func covering(_ address: UInt64) -> MMUEntry? {
        while next < entries.count, entries[next].virtualAddress.rawValue &+ (entries[next].size.byteCount - 1) < address { next += 1 }
        guard next < entries.count, entries[next].virtualAddress.rawValue <= address else { return nil }
        return entries[next]
    }

    mutating func rewrite(slot: Int, level: Int, prefix: UInt64 = 0) throws(ImageError) {
        for index in 0..<FrameStore.wordsPerPage {
            let raw = store[slot, index]
            guard raw & 1 != 0 else { continue }
            let isLeaf = level == lastLevel || (level > 0 && raw & 0x80 != 0)
            if !isLeaf {
                let address = raw & 0x000F_FFFF_FFFF_F000
                store[slot, index] = address | 0x67
                guard let child = store.slot(ofFrame: address >> 12) else {
                    throw .tablePointerOutsideTables(entryAddress: PhysicalAddress(store.frame(ofSlot: slot) << 12 + UInt64(index * 8)), target: PhysicalAddress(address))
                }
                try rewrite(slot: child, level: level + 1, prefix: prefix | UInt64(index) << shift(level))
                continue
            }
            let large = level != lastLevel
            // MMUStore's export encodes cache modes as PWT | PCD << 1 (its PAT's indices 0-3).
            let modes: [CacheMode] = [.writeBack, .writeThrough, .writeCombining, .uncached]
            let mode = modes[Int((raw >> 3) & 3)]
            let cacheMask: UInt64 = (large ? 1 << 12 : 1 << 7) | 1 << 4 | 1 << 3
            var word = raw & ~cacheMask | Self.cacheBits(mode, large: large)
            if let entry = covering(virtualAddress(prefix: prefix | UInt64(index) << shift(level))), !entry.attributes.contains(.accessed) {
                word &= ~(1 << 5)
            }
            store[slot, index] = word
        }
    }
}
