/// Whose habits an export follows where the canonical model leaves a choice: the registers, the
/// flags of table pointers, the memory-type encoding, the accessed bit.
public enum ExportConvention: String, Hashable, Sendable, CaseIterable {
    /// MMUStore's own: fixed registers (PAT 0x0001040600010406), table pointers P | R/W | U/S | A,
    /// every leaf accessed. What every format exports.
    case mmustore
    /// Linux's. On x86-64 (4- and 5-level): CR0 0x80050033, CR4 PAE | PGE | PSE | OSFXSR |
    /// OSXMMEXCPT | SMEP | SMAP (| LA57), EFER SCE | LME | LMA | NXE, Linux's PAT
    /// 0x0407050600070106; table pointers P | R/W | U/S | A | D (`_PAGE_TABLE`); leaves with A
    /// and D as recorded and memory types in Linux's encoding (WC = PWT, UC = PCD (UC-),
    /// WT = PAT | PCD | PWT). A Linux kernel's leaves come back bit for bit except software
    /// bits, rights restricted by upper levels, and UC (PCD | PWT), which reads back as UC-.
    ///
    /// On AArch64 (`aarch64-4k-48`, `aarch64-4k-39`): PXN on every leaf EL0 may access
    /// (AP[1] set), as Linux's user mappings have it, so EL1 executes no user page (MMUStore's
    /// own export leaves PXN clear on executable user pages); kernel leaves, table descriptors
    /// and the registers stay MMUStore's (AF always set, MMUStore's MAIR). The canonical entries read back unchanged: PXN on a user
    /// page takes only EL1's execute right, and the canonical protection is the union of both
    /// levels' rights.
    ///
    /// On RISC-V (`riscv-sv39`, `riscv-sv48`, `riscv-sv57`): `sstatus` is Linux's while the
    /// kernel runs, 0x200000000 (SUM = 0, MXR = 0, UXL = 2); the PTEs stay MMUStore's (A always
    /// set, non-leaf PTEs V and the PPN only, as Linux's). With SUM = 0, S-mode loads and stores to U pages fault (Linux sets SUM only
    /// inside its uaccess routines); import ignores SUM, as it ignores x86's SMAP, and gives the
    /// kernel the rights it has under SUM = 1, so user-mode translations and the canonical
    /// entries are the same under both conventions.
    case linux
}
