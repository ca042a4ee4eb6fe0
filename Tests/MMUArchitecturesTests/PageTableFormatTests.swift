import MMUArchitectures
import MMUCore
import Testing

struct PageTableFormatTests {
    @Test func catalogListsEveryArchitectureByName() {
        #expect(PageTableFormat.all.map(\.name) == Architecture.all.map(\.name))
        for format in PageTableFormat.all {
            #expect(PageTableFormat(named: format.name) == format)
            #expect(PageTableFormat(format.architecture) == format)
            #expect(format.pageSizes == format.architecture.pageSizes)
        }
        #expect(PageTableFormat(named: "x86_64-6level") == nil)
        #expect(PageTableFormat.all.filter(\.isRadix).count == 9)
    }

    @Test func addressWidths() throws {
        func format(_ name: String) throws -> PageTableFormat { try #require(PageTableFormat(named: name)) }
        #expect(try format("x86_64-4level").virtualAddressBits == 48)
        #expect(try format("x86_64-5level").virtualAddressBits == 57)
        #expect(try format("i386").physicalAddressBits(for: .size4KiB) == 32)
        #expect(try format("i386").physicalAddressBits(for: .size4MiB) == 40)
        #expect(try format("i386").physicalAddressBits == 40)
        #expect(try format("aarch64-4k-39").virtualAddressBits == 39)
        #expect(try format("riscv-sv57").physicalAddressBits == 56)
        #expect(try format("ppc64-hpt").virtualAddressBits == 64)
    }

    @Test(arguments: PageTableFormat.all)
    func normalizationIsIdempotentAndPresetsAccessed(format: PageTableFormat) {
        for bits in 0..<16 {
            for cache in CacheMode.allCases {
                let entry = MMUEntry(
                    VirtualAddress(0x1000), to: PhysicalAddress(0x2000), protection: Protection(rawValue: UInt8(bits)),
                    attributes: .global, cacheMode: cache)
                let normalized = format.normalized(entry)
                #expect(format.normalized(normalized) == normalized)
                #expect(normalized.attributes.contains(.accessed))
                #expect(normalized.protection.contains(.read) || normalized.protection == [.execute]
                    || normalized.protection == [.execute, .user])
            }
        }
    }

    @Test func documentedLossiness() throws {
        func normalized(_ name: String, _ protection: Protection, cache: CacheMode = .writeBack) throws -> MMUEntry {
            try #require(PageTableFormat(named: name)).normalized(
                MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0x2000), protection: protection, attributes: .global, cacheMode: cache))
        }
        // x86 cannot express a present page that is not readable.
        #expect(try normalized("x86_64-4level", [.write]).protection == [.read, .write])
        // i386 without PAE has no execute-disable: every page is executable.
        #expect(try normalized("i386", [.read]).protection == [.read, .execute])
        // RISC-V keeps execute-only pages; W without R gains R.
        #expect(try normalized("riscv-sv39", [.execute, .user]).protection == [.execute, .user])
        #expect(try normalized("riscv-sv39", [.write]).protection == [.read, .write])
        #expect(try normalized("riscv-sv39", .read, cache: .writeThrough).cacheMode == .writeBack)
        // IA-64 and PowerPC have no global bit.
        #expect(try !normalized("ia64-vhpt-long", .read).attributes.contains(.global))
        #expect(try !normalized("ppc64-hpt", .read).attributes.contains(.global))
        #expect(try normalized("aarch64-4k-48", .read).attributes.contains(.global))
        // PowerPC guarded (uncached) pages cannot be executed.
        #expect(try normalized("ppc64-hpt", [.read, .execute], cache: .uncached).protection == [.read])
    }

    @Test func documentedPrivilegeSemantics() throws {
        func rights(_ name: String, _ protection: Protection) throws -> AccessRights {
            try #require(PageTableFormat(named: name)).rights(for: protection)
        }
        // AArch64: EL0-writable pages are never executable at EL1.
        #expect(try rights("aarch64-4k-48", [.read, .write, .execute, .user]) == [
            .kernelRead, .kernelWrite, .userRead, .userWrite, .userExecute,
        ])
        // RISC-V with SUM = 1: the kernel reads and writes user pages but never executes them.
        #expect(try rights("riscv-sv48", [.read, .execute, .user]) == [.kernelRead, .userRead, .userExecute])
        // x86 with SMEP = SMAP = 0: the kernel may do what the page allows.
        #expect(try rights("x86_64-4level", [.read, .execute, .user]) == [.kernelRead, .kernelExecute, .userRead, .userExecute])
        #expect(try rights("x86_64-4level", [.read, .write]) == [.kernelRead, .kernelWrite])
        #expect(try #require(PageTableFormat(named: "ia64-vhpt-short")).faultsOnStoreToCleanPage)
        #expect(try !#require(PageTableFormat(named: "ppc64-hpt")).faultsOnStoreToCleanPage)
    }
}
