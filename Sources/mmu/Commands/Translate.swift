import ArgumentParser
import MMUArchitectures
import MMUCore
import MMUStore

extension MMUCommand {
    /// `mmu translate`: walks a rebuilt table for one address, as the hardware would.
    struct Translate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Translate an address by walking the rebuilt hardware table, as the MMU would.",
            discussion: "Prints the physical address, page size, level and rights, or the fault and the level where it happened (exit status 1).")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION.") var reference: SetReference
        @Argument(help: "The virtual address.") var address: VirtualAddress
        @OptionGroup var table: TableOptions
        @Option(help: "The access: read, write or execute.") var access: MemoryAccess = .read
        @Option(help: "The privilege: user or kernel.") var privilege: PrivilegeLevel = .user
        @OptionGroup var output: OutputOptions

        struct Report: Encodable {
            let address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel
            let physicalAddress: PhysicalAddress?, pageSize: PageSize?, level: Int, rights: String?, fault: String?
        }

        func run() throws {
            guard reference.file == nil else { throw ValidationError("translate reads the database given by --database, not FILE:") }
            let built = try store.openForReading().build(set: reference.set, at: reference.version, format: table.format.format, options: table.options)
            let result = built.translate(address, access: access, privilege: privilege)
            let report: Report
            switch result {
            case .mapped(let translation):
                report = Report(
                    address: address, access: access, privilege: privilege, physicalAddress: translation.physicalAddress,
                    pageSize: translation.size, level: translation.level, rights: translation.rights.description, fault: nil)
            case .fault(let fault):
                report = Report(
                    address: address, access: access, privilege: privilege, physicalAddress: nil, pageSize: nil, level: fault.level,
                    rights: nil, fault: fault.kind.rawValue)
            }
            if output.json {
                try Output.jsonLine(report)
            } else if let physical = report.physicalAddress, let size = report.pageSize {
                print("\(address) -> \(physical) (\(size) page at level \(report.level); rights \(report.rights ?? ""); \(privilege) \(access) allowed)")
            } else {
                print("\(address): \(privilege) \(access) faults: \(report.fault ?? "") at level \(report.level)")
            }
            if result.fault != nil { throw ExitCode.failure }
        }
    }
}
