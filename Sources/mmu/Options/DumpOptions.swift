import ArgumentParser
import MMUArchitectures
import MMUCore

/// The options of `mmu import --dump`: the root, the registers, and what to walk.
struct DumpOptions: ParsableArguments {
    @Option(help: "A guest memory dump: QEMU's ELF core (dump-guest-memory, paging false) or a raw physical image.")
    var dump: String?
    @Option(help: "CR3, the root of the tables (default: the dump's processor).", transform: RegisterValue.parse)
    var root: UInt64?
    @Option(help: "The processor whose registers are used (its QEMU CPU note, from 0).")
    var cpu: Int?
    @Option(help: "CR0 (default: the processor's, else PE|WP|PG).", transform: RegisterValue.parse)
    var cr0: UInt64?
    @Option(help: "CR4 (default: the processor's, else PAE).", transform: RegisterValue.parse)
    var cr4: UInt64?
    @Option(help: "IA32_EFER (no dump records it; default LME|LMA|NXE).", transform: RegisterValue.parse)
    var efer: UInt64?
    @Option(help: "IA32_PAT (no dump records it; default the power-on 0x7040600070406; Linux uses 0x407050600070106).", transform: RegisterValue.parse)
    var pat: UInt64?
    @Option(help: "Walk only the user or the kernel half of the address space.")
    var half: DumpWalkRequest.Half?
    @Option(help: "Walk only entries at or above this address.", transform: RegisterValue.parse)
    var from: UInt64?
    @Option(help: "Walk only entries below this address (exclusive).", transform: RegisterValue.parse)
    var to: UInt64?

    /// The options that only mean something with `--dump`, as spelled, when given.
    var dumpOnlyOptionsGiven: [String] {
        let given: [(String, Bool)] = [
            ("--root", root != nil), ("--cpu", cpu != nil), ("--cr0", cr0 != nil), ("--cr4", cr4 != nil), ("--efer", efer != nil),
            ("--pat", pat != nil), ("--half", half != nil), ("--from", from != nil), ("--to", to != nil),
        ]
        return given.filter(\.1).map(\.0)
    }

    func validate() throws {
        if dump == nil, let first = dumpOnlyOptionsGiven.first { throw ValidationError("\(first) needs --dump FILE") }
        if let from, let to, from >= to { throw ValidationError("--from must be below --to") }
        if to == 0 { throw ValidationError("--to 0 selects nothing") }
        if let cpu, cpu < 0 { throw ValidationError("--cpu counts from 0") }
    }

    /// The walk request the options spell.
    var request: DumpWalkRequest {
        let addresses: ClosedRange<UInt64>? = from == nil && to == nil ? nil : (from ?? 0)...((to ?? 0) &- 1)
        return DumpWalkRequest(root: root, processor: cpu, cr0: cr0, cr4: cr4, efer: efer, pat: pat, half: half, addresses: addresses)
    }
}

extension DumpWalkRequest.Half: ExpressibleByArgument {}

extension ExportConvention: ExpressibleByArgument {}

/// A 64-bit register or address value on the command line.
enum RegisterValue {
    /// Parses `0x` hexadecimal or decimal digits (`_` separators allowed).
    static func parse(_ text: String) throws -> UInt64 {
        let digits = text.filter { $0 != "_" }
        let value = digits.lowercased().hasPrefix("0x") ? UInt64(digits.dropFirst(2), radix: 16) : UInt64(digits, radix: 10)
        guard let value else { throw ValidationError("'\(TerminalText.escaped(text))' is not a 64-bit number: write 0x hexadecimal or decimal digits") }
        return value
    }
}
