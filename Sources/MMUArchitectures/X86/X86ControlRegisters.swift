import MMUCore

/// The x86 control registers a set of tables was taken under (CR0, CR4, IA32_EFER, IA32_PAT),
/// checked for what the canonical model can hold.
///
/// A real system's values are accepted: bits that do not change translation are ignored (CR4's
/// PSE outside 32-bit paging, OSFXSR, OSXMMEXCPT, SMEP, SMAP, UMIP, FSGSBASE, CET…; EFER's SCE,
/// FFXSR, SVME…; CR0's MP, NE, AM…). Refused are only the values that change translation in a
/// way the model cannot hold: paging off, a paging mode other than the tables', CR0.WP clear
/// (the kernel could write read-only pages), CR0.CD set (every type becomes uncached), EFER.NXE
/// clear in PAE and 64-bit modes (execute-disable bits become reserved), supervisor protection
/// keys (CR4.PKS: kernel rights would depend on IA32_PKRS, which no image records), user
/// protection keys (CR4.PKE) unless the caller reports keyed leaves (dump walks do: user rights
/// then also depend on PKRU, which no dump records), and a PAT holding a reserved memory type. Memory types are read through the PAT given (HARDWARE-FORMATS.md §1):
/// Linux's PAT 0x0407050600070106 makes PCD alone (index 2) UC-, an uncached type.
struct X86ControlRegisters: Hashable, Sendable {
    /// CR0.
    var cr0: UInt64
    /// CR4.
    var cr4: UInt64
    /// IA32_EFER (0 in 32-bit paging, where it may be absent).
    var efer: UInt64
    /// IA32_PAT.
    var pat: UInt64

    /// CR0.PE, bit 0.
    static let protectionEnable: UInt64 = 1 << 0
    /// CR0.WP, bit 16.
    static let writeProtect: UInt64 = 1 << 16
    /// CR0.CD, bit 30.
    static let cacheDisable: UInt64 = 1 << 30
    /// CR0.PG, bit 31.
    static let paging: UInt64 = 1 << 31
    /// CR4.PSE, bit 4.
    static let pageSizeExtensions: UInt64 = 1 << 4
    /// CR4.PAE, bit 5.
    static let physicalAddressExtension: UInt64 = 1 << 5
    /// CR4.LA57, bit 12.
    static let fiveLevelPaging: UInt64 = 1 << 12
    /// CR4.PCIDE, bit 17: CR3 bits 11:0 are a process-context identifier.
    static let processContextIdentifiers: UInt64 = 1 << 17
    /// CR4.PKE, bit 22.
    static let userProtectionKeys: UInt64 = 1 << 22
    /// CR4.PKS, bit 24.
    static let supervisorProtectionKeys: UInt64 = 1 << 24
    /// EFER.LME, bit 8.
    static let longModeEnable: UInt64 = 1 << 8
    /// EFER.LMA, bit 10.
    static let longModeActive: UInt64 = 1 << 10
    /// EFER.NXE, bit 11.
    static let noExecuteEnable: UInt64 = 1 << 11

    /// The register names, as manifests and the command line spell them.
    static let names = ["cr0", "cr4", "efer", "pat"]

    /// Reads and checks the registers for tables of `mode`.
    ///
    /// - Throws: ``ImageError/missingRegister(_:)`` for CR0, CR4 or PAT missing (EFER too
    ///   outside 32-bit paging), ``ImageError/unsupportedRegister(name:value:reason:)`` naming
    ///   the bit that changes translation in a way the model cannot hold.
    /// - Parameter allowingUserKeys: Accept CR4.PKE (the caller reports leaves with a key).
    init(checking registers: [String: UInt64], mode: X86Mode, allowingUserKeys: Bool = false) throws(ImageError) {
        func value(_ name: String) throws(ImageError) -> UInt64 {
            guard let value = registers[name] else { throw .missingRegister(name) }
            return value
        }
        cr0 = try value("cr0")
        cr4 = try value("cr4")
        efer = mode == .legacy ? registers["efer"] ?? 0 : try value("efer")
        pat = try value("pat")
        func refuse(_ name: String, _ value: UInt64, _ reason: String) -> ImageError {
            .unsupportedRegister(name: name, value: value, reason: reason)
        }
        guard cr0 & (Self.paging | Self.protectionEnable) == Self.paging | Self.protectionEnable else {
            throw refuse("cr0", cr0, "paging is off (CR0.PG and CR0.PE must be set)")
        }
        guard cr0 & Self.writeProtect != 0 else {
            throw refuse("cr0", cr0, "CR0.WP is clear: the kernel may write read-only pages, which no entry records")
        }
        guard cr0 & Self.cacheDisable == 0 else {
            throw refuse("cr0", cr0, "CR0.CD is set: every access is uncached whatever the entries say")
        }
        let is64Bit = mode == .fourLevel || mode == .fiveLevel
        guard (cr4 & Self.physicalAddressExtension != 0) == (mode != .legacy) else {
            throw refuse("cr4", cr4, mode == .legacy ? "CR4.PAE is set: these are not 32-bit tables" : "CR4.PAE is clear: 32-bit paging")
        }
        guard (cr4 & Self.fiveLevelPaging != 0) == (mode == .fiveLevel) else {
            throw refuse(
                "cr4", cr4,
                mode == .fiveLevel ? "CR4.LA57 is clear: 4-level paging, walk as x86_64-4level" : "CR4.LA57 is set: 5-level paging, walk as x86_64-5level")
        }
        guard mode != .legacy || cr4 & Self.pageSizeExtensions != 0 else {
            throw refuse("cr4", cr4, "CR4.PSE is clear: a 4 MiB entry would not be a page")
        }
        guard cr4 & Self.supervisorProtectionKeys == 0 else {
            throw refuse("cr4", cr4, "supervisor protection keys are on (CR4.PKS): kernel rights depend on IA32_PKRS, which is not recorded")
        }
        guard allowingUserKeys || cr4 & Self.userProtectionKeys == 0 else {
            throw refuse("cr4", cr4, "protection keys are on (CR4.PKE): user rights depend on PKRU; import the dump with mmu import --dump, which reports keyed pages")
        }
        if is64Bit {
            guard efer & (Self.longModeEnable | Self.longModeActive) == Self.longModeEnable | Self.longModeActive else {
                throw refuse("efer", efer, "EFER.LME and EFER.LMA must be set for 64-bit paging")
            }
        }
        if mode != .legacy {
            guard efer & Self.noExecuteEnable != 0 else {
                throw refuse("efer", efer, "EFER.NXE is clear: execute-disable bits would be reserved")
            }
        }
        for index in 0..<8 {
            let type = (pat >> UInt64(index * 8)) & 0xFF
            guard [0, 1, 4, 5, 6, 7].contains(type) else {
                throw refuse("pat", pat, "PAT entry \(index) holds the reserved memory type \(type)")
            }
        }
    }

    /// The memory type of each PAT index as a cache mode, `nil` for write-protected (WP), which
    /// the canonical model has no mode for: WB → `wb`, WT → `wt`, WC → `wc`, UC and UC- → `uc`.
    var cacheModes: [CacheMode?] {
        (0..<8).map { index in
            switch (pat >> UInt64(index * 8)) & 0xFF {
            case 6: .writeBack
            case 4: .writeThrough
            case 1: .writeCombining
            case 0, 7: .uncached
            default: nil
            }
        }
    }

    /// The name of a PAT memory type (`UC`, `WC`, `WT`, `WP`, `WB`, `UC-`).
    static func memoryTypeName(_ type: UInt64) -> String {
        switch type {
        case 0: "UC"
        case 1: "WC"
        case 4: "WT"
        case 5: "WP"
        case 6: "WB"
        case 7: "UC-"
        default: "reserved \(type)"
        }
    }
}
