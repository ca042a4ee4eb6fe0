/// Whose habits an export follows where the canonical model leaves a choice: the registers, the
/// flags of table pointers, the memory-type encoding, the accessed bit.
public enum ExportConvention: String, Hashable, Sendable, CaseIterable {
    /// MMUStore's own: fixed registers (PAT 0x0001040600010406), table pointers P | R/W | U/S | A,
    /// every leaf accessed. What every format exports.
    case mmustore
    /// Linux's, on x86-64 (4- and 5-level): CR0 0x80050033, CR4 PAE | PGE | PSE | OSFXSR |
    /// OSXMMEXCPT | SMEP | SMAP (| LA57), EFER SCE | LME | LMA | NXE, Linux's PAT
    /// 0x0407050600070106; table pointers P | R/W | U/S | A | D (`_PAGE_TABLE`); leaves with A
    /// and D as recorded and memory types in Linux's encoding (WC = PWT, UC = PCD (UC-),
    /// WT = PAT | PCD | PWT). A Linux kernel's leaves come back bit for bit except software
    /// bits, rights restricted by upper levels, and UC (PCD | PWT), which reads back as UC-.
    case linux
}
