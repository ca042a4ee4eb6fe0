import Foundation
import MMUArchitectures
import MMUCore
import MMUTestSupport
import Testing

/// Walking the page tables of a guest memory dump: QEMU's ELF core and raw images, effective
/// rights, memory types through the PAT, findings for what the model cannot hold, and hostile
/// files refused at the stage that fails.
struct PhysicalMemoryDumpTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mmu-dump-\(UUID())")
    static let linuxPAT: UInt64 = 0x0407_0506_0007_0106

    func write(_ data: Data, _ name: String = "dump") throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    /// The error `body` throws: a ``DumpError``, or one naming an unexpected error.
    func error(_ body: () throws -> Void) -> DumpError? {
        do {
            try body()
            return nil
        } catch let error as DumpError {
            return error
        } catch {
            return DumpError(.open, "unexpected \(error)")
        }
    }

    static let expected: [MMUEntry] = [
        MMUEntry(VirtualAddress(0), to: PhysicalAddress(0x9000), protection: [.read, .write, .user], attributes: [.accessed, .dirty]),
        MMUEntry(VirtualAddress(0x1000), to: PhysicalAddress(0xA000), protection: [.read, .execute, .user], attributes: [.accessed]),
        MMUEntry(VirtualAddress(0x2000), to: PhysicalAddress(0xB000), protection: [.read, .write], attributes: [.accessed], cacheMode: .uncached),
        MMUEntry(VirtualAddress(0x3000), to: PhysicalAddress(0xC000), protection: [.read, .write, .user], attributes: [.accessed]),
        MMUEntry(VirtualAddress(0x20_0000), to: PhysicalAddress(0x20_0000), size: .size2MiB, protection: [.read, .write], attributes: [.accessed, .dirty, .global]),
        MMUEntry(VirtualAddress(0x40_0000), to: PhysicalAddress(0x8000), protection: [.read, .user], attributes: [.accessed]),
        MMUEntry(VirtualAddress(0xFFFF_FFFF_8000_0000), to: PhysicalAddress(0x4000_0000), size: .size1GiB, protection: [.read, .execute], attributes: [.accessed, .global]),
    ]

    @Test func anELFCoreIsWalkedAtItsProcessorsCR3WithEffectiveRightsAndLinuxMemoryTypes() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let dump = try PhysicalMemoryDump(openingForReading: try write(SyntheticDump.linuxLike().elfCore(cr3: 0x1000)))
        #expect(dump.kind == .elf)
        #expect(dump.processors == [ProcessorState(cr0: 0x8005_0033, cr3: 0x1000, cr4: 0x6b0)])
        let walk = try dump.walkX86(DumpWalkRequest(pat: Self.linuxPAT))
        #expect(walk.entries == Self.expected)
        #expect(walk.format.name == "x86_64-4level")
        #expect(walk.assumedRegisters == ["efer"])
        #expect(walk.tablesRead == 6)
        let findings = Dictionary(uniqueKeysWithValues: walk.findings.map { ($0.kind, $0.count) })
        #expect(findings == [.restrictedByUpperLevels: 1, .softwareBits: 1, .frameOutsideMemory: 2])
        #expect(walk.findings.first { $0.kind == .restrictedByUpperLevels }?.examples == ["0x400000: leaf 0x8000000000008027"])
        // Under the power-on PAT, PCD alone (index 2) is UC- as well: uncached.
        let powerOn = try dump.walkX86(DumpWalkRequest())
        #expect(powerOn.assumedRegisters == ["efer", "pat"])
        #expect(powerOn.entries[2].cacheMode == .uncached)
    }

    @Test func aRawImageNeedsItsRootAndAssumesTheRest() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let dump = try PhysicalMemoryDump(openingForReading: try write(SyntheticDump.linuxLike().rawImage))
        #expect(dump.kind == .raw)
        #expect(error { _ = try dump.walkX86(DumpWalkRequest()) } == DumpError(.registers, "a raw image records no registers: give the root (CR3)"))
        let walk = try dump.walkX86(DumpWalkRequest(root: 0x1000, pat: Self.linuxPAT))
        #expect(walk.entries == Self.expected)
        #expect(walk.assumedRegisters == ["cr0", "cr4", "efer"])
    }

    @Test func halvesAndRangesSelectEntries() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let dump = try PhysicalMemoryDump(openingForReading: try write(SyntheticDump.linuxLike().rawImage))
        let user = try dump.walkX86(DumpWalkRequest(root: 0x1000, pat: Self.linuxPAT, half: .user))
        #expect(user.entries == Array(Self.expected.dropLast()))
        let kernel = try dump.walkX86(DumpWalkRequest(root: 0x1000, pat: Self.linuxPAT, half: .kernel))
        #expect(kernel.entries == [Self.expected.last])
        // A range keeps the entries overlapping it, a large page whole.
        let range = try dump.walkX86(DumpWalkRequest(root: 0x1000, pat: Self.linuxPAT, addresses: 0x3000...0x20_0FFF))
        #expect(range.entries == Array(Self.expected[3...4]))
    }

    @Test func fiveLevelTablesAreWalkedWhenCR4SetsLA57() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var dump = SyntheticDump(memoryBytes: 64 << 10)
        // PML5[256] -> PML4 -> PDPT -> PD -> PT: the first page of the kernel half (bit 56 set).
        dump.set(frame: 1, index: 256, to: 2 << 12 | 0x27)
        dump.set(frame: 2, index: 0, to: 3 << 12 | 0x27)
        dump.set(frame: 3, index: 0, to: 4 << 12 | 0x27)
        dump.set(frame: 4, index: 0, to: 5 << 12 | 0x27)
        dump.set(frame: 5, index: 0, to: 1 << 63 | 9 << 12 | 0x163)
        let opened = try PhysicalMemoryDump(openingForReading: try write(dump.elfCore(cr3: 0x1000, cr4: 0x6b0 | 1 << 12)))
        let walk = try opened.walkX86(DumpWalkRequest(pat: Self.linuxPAT))
        #expect(walk.format.name == "x86_64-5level")
        #expect(walk.entries == [MMUEntry(VirtualAddress(0xFF00_0000_0000_0000), to: PhysicalAddress(0x9000), protection: [.read, .write], attributes: [.accessed, .dirty, .global])])
    }

    @Test func loopsAndSharedTablesEndAndAreReported() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var dump = SyntheticDump.linuxLike()
        dump.set(frame: 1, index: 1, to: 1 << 12 | 0x27)  // PML4[1] -> the PML4 itself
        dump.set(frame: 1, index: 2, to: 2 << 12 | 0x27)  // PML4[2] -> the PDPT PML4[0] points at
        dump.set(frame: 3, index: 3, to: 0x10_0000 << 12 | 0x27)  // a PD entry pointing outside memory
        dump.set(frame: 1, index: 3, to: 0xA7)  // PS in a PML4 entry is reserved
        let walk = try PhysicalMemoryDump(openingForReading: try write(dump.rawImage)).walkX86(DumpWalkRequest(root: 0x1000, pat: Self.linuxPAT))
        let shared = Self.expected.prefix(6).map { entry in
            var moved = entry
            moved.virtualAddress = VirtualAddress(entry.virtualAddress.rawValue + 2 << 39)
            return moved
        }
        #expect(walk.entries == Array(Self.expected.prefix(6)) + shared + [Self.expected[6]])
        let findings = Dictionary(uniqueKeysWithValues: walk.findings.map { ($0.kind, $0.count) })
        #expect(findings[.tableAtTwoLevels] == 1)
        #expect(findings[.tableOutsideMemory] == 2, "under PML4[0] and under PML4[2]")
        #expect(findings[.reservedBits] == 1)
    }

    @Test func theTranslationLimitBoundsMemory() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let dump = try PhysicalMemoryDump(openingForReading: try write(SyntheticDump.linuxLike().rawImage))
        let refused = error { _ = try dump.walkX86(DumpWalkRequest(root: 0x1000, translationLimit: 3)) }
        #expect(refused?.stage == .walk)
        #expect(refused?.message.hasPrefix("more than 3 translations") == true)
    }

    /// Tables shared at every level, with no leaf: 512^3 page tables to visit, stopped by the
    /// table-read limit instead.
    @Test func tablesSharedOverAndOverAreBoundedInTime() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var dump = SyntheticDump(memoryBytes: 64 << 10)
        for index in 0..<512 {
            dump.set(frame: 1, index: index, to: 2 << 12 | 0x27)
            dump.set(frame: 2, index: index, to: 3 << 12 | 0x27)
            dump.set(frame: 3, index: index, to: 4 << 12 | 0x27)
        }
        let opened = try PhysicalMemoryDump(openingForReading: try write(dump.rawImage))
        let refused = error { _ = try opened.walkX86(DumpWalkRequest(root: 0x1000, tableReadLimit: 10_000)) }
        #expect(refused?.stage == .walk)
        #expect(refused?.message.hasPrefix("more than 10000 table pages read") == true, "\(String(describing: refused))")
    }

    @Test func aRootOutsideMemoryIsRefusedNamingTheRegions() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let dump = try PhysicalMemoryDump(openingForReading: try write(SyntheticDump.linuxLike().elfCore(cr3: 0x10_0000)))
        let refused = error { _ = try dump.walkX86(DumpWalkRequest()) }
        #expect(refused == DumpError(.registers, "the root table at 0x100000 (CR3) lies outside the dump's memory (0x0-0x10000)"))
    }

    @Test func registersTheWalkCannotModelAreRefused() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let dump = try PhysicalMemoryDump(openingForReading: try write(SyntheticDump.linuxLike().elfCore(cr3: 0x1000, cr4: 0x690)))
        let refused = error { _ = try dump.walkX86(DumpWalkRequest()) }
        #expect(refused?.stage == .registers)
        #expect(refused?.message.contains("CR4.PAE is clear") == true, "\(String(describing: refused))")
        #expect(error { _ = try dump.walkX86(DumpWalkRequest(processor: 1)) } == DumpError(.registers, "processor 1 is not in the dump, which records 1"))
    }

    /// Each hostile file fails at its stage; the planted fault is the only change from a good file.
    @Test func hostileFilesAreRefusedAtTheStageThatFails() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = SyntheticDump.linuxLike().elfCore(cr3: 0x1000)
        func opening(_ data: Data) -> DumpError? {
            do {
                _ = try PhysicalMemoryDump(openingForReading: try write(data))
                return nil
            } catch let error as DumpError {
                return error
            } catch {
                return DumpError(.open, "unexpected \(error)")
            }
        }
        #expect(opening(good) == nil)
        // Truncated: the memory segment runs past the end of the file.
        let truncated = opening(good.prefix(good.count - 4096))
        #expect(truncated?.stage == .header)
        #expect(truncated?.message.contains("beyond the file's") == true, "\(String(describing: truncated))")
        // A lying header: 60000 program headers that the file does not hold.
        var lying = good
        SyntheticDump.put(UInt16(60000), at: 56, in: &lying)
        #expect(opening(lying)?.stage == .header)
        // Not x86-64.
        var arm = good
        SyntheticDump.put(UInt16(183), at: 18, in: &arm)
        #expect(opening(arm) == DumpError(.header, "ELF machine 183 is not x86-64 (EM_X86_64, 62)"))
        // A lying note: its description size passes the segment's end.
        var note = good
        SyntheticDump.put(UInt32(100_000), at: 64 + 112 + 4, in: &note)
        #expect(opening(note)?.stage == .notes)
        // A QEMU state of an unknown version, or too short for the control registers.
        #expect(opening(SyntheticDump.linuxLike().elfCore(cr3: 0x1000, version: 2))?.message.contains("version 2") == true)
        #expect(opening(SyntheticDump.linuxLike().elfCore(cr3: 0x1000, stateSize: 400))?.stage == .notes)
        #expect(opening(SyntheticDump.linuxLike().elfCore(cr3: 0x1000, stateSize: 1000))?.stage == .notes)
        // Too short to be an image.
        #expect(opening(Data(count: 100))?.stage == .header)
    }

    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("fifo").path
        #expect(mkfifo(path, 0o600) == 0)
        let refused = error { _ = try PhysicalMemoryDump(openingForReading: path) }
        #expect(refused?.stage == .open)
        #expect(refused?.message.contains("a FIFO, not a regular file") == true, "\(String(describing: refused))")
    }
}
