import ArgumentParser
import MMUArchitectures
import MMUCore
import MMUOperations
import MMUStore

extension MMUCommand {
    /// `mmu translate`: walks a rebuilt table for one address, as the hardware would.
    struct Translate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Translate an address by walking the rebuilt hardware table, as the MMU would.",
            discussion: "Prints the physical address, page size, level and rights, or the fault and the level where it happened (exit status 1).")

        @OptionGroup var store: StoreOptions
        @Argument(help: "SET, SET@SNAPSHOT or SET@GENERATION.", transform: SetReference.init(parsing:)) var reference: SetReference
        @Argument(help: "The virtual address.", transform: AddressArgument.init(parsing:)) var written: AddressArgument
        @OptionGroup var table: TableOptions
        @Option(help: "The access: read, write or execute.") var access: MemoryAccess = .read
        @Option(help: "The privilege: user or kernel.") var privilege: PrivilegeLevel = .user
        @OptionGroup var output: OutputOptions

        struct Report: Encodable {
            let address: VirtualAddress, access: MemoryAccess, privilege: PrivilegeLevel
            let physicalAddress: PhysicalAddress?, pageSize: PageSize?, level: Int, rights: String?, fault: String?

            private enum CodingKeys: String, CodingKey { case address, access, privilege, physicalAddress, pageSize, level, rights, fault }

            /// Every key present: `null` for what a fault leaves out, and `fault` `null` when mapped.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(address, forKey: .address)
                try container.encode(access, forKey: .access)
                try container.encode(privilege, forKey: .privilege)
                try container.encode(physicalAddress, forKey: .physicalAddress)
                try container.encode(pageSize, forKey: .pageSize)
                try container.encode(level, forKey: .level)
                try container.encode(rights, forKey: .rights)
                try container.encode(fault, forKey: .fault)
            }
        }

        func run() throws {
            guard reference.file == nil else { throw ValidationError("translate reads the database given by --database, not FILE:") }
            let opened = try store.openForReading()
            let built = try opened.build(set: reference.set, at: reference.version, format: try table.format(for: reference.set, in: opened), options: table.options)
            let address = written.virtual
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
                if let hint = written.decimalHint { print("hint: \(hint)") }
            }
            if result.fault != nil { throw ExitCode.failure }
        }
    }
}
