import Foundation
import MMUTestSupport
import Testing

/// `mmu import --dump` from the command line: one transaction, the findings printed, and a
/// hostile dump refused naming its stage with nothing written.
struct DumpImportTests {
    @Test func aDumpIsImportedAsOneTransactionAndItsFindingsPrinted() throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try SyntheticDump.linuxLike().elfCore(cr3: 0x1000).write(to: runner.directory.appendingPathComponent("guest.elf"))
        let output = try runner.succeed(["import", "guest", "--dump", "guest.elf", "--pat", "0x0407050600070106"])
        #expect(output.contains("imported 7 entries in set 'guest': generation 0, log sequence 1"), "\(output)")
        #expect(output.contains("walked x86_64-4level tables: 6 table pages read, 7 translations; cr3 0x1000, cr0 0x80050033, cr4 0x6b0, efer 0xd00 (assumed), pat 0x407050600070106"), "\(output)")
        #expect(output.contains("1 leaves granting rights the levels above take away (stored with the effective rights), e.g. 0x400000: leaf 0x8000000000008027"), "\(output)")
        let shown = try runner.succeed(["show", "guest", "--entries"])
        #expect(shown.contains("0x2000") && shown.contains("uc"), "\(shown)")
        // Only the user half, into another set.
        let user = try runner.succeed(["import", "user", "--dump", "guest.elf", "--half", "user", "--json"])
        #expect(user.contains(#""translations":6"#), "\(user)")
    }

    @Test(arguments: [
        ("truncated", "header: segment 1 claims bytes"), ("root", "registers: the root table at 0x100000 (CR3) lies outside"),
        ("fifo", "open: "), ("note", "notes: QEMU CPU note 0 has version 7"),
    ])
    func aHostileDumpIsRefusedNamingTheStageAndNothingIsWritten(kind: String, message: String) throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        let path = runner.directory.appendingPathComponent("guest.elf")
        let good = SyntheticDump.linuxLike().elfCore(cr3: 0x1000)
        switch kind {
        case "truncated": try good.prefix(good.count - 100).write(to: path)
        case "root": try SyntheticDump.linuxLike().elfCore(cr3: 0x10_0000).write(to: path)
        case "note": try SyntheticDump.linuxLike().elfCore(cr3: 0x1000, version: 7).write(to: path)
        default: #expect(mkfifo(path.path, 0o600) == 0)
        }
        let result = try runner.run(["import", "guest", "--dump", "guest.elf"])
        #expect(result.status != 0)
        #expect(result.error.contains(message) && result.error.contains("nothing was imported"), "\(result.error)")
        #expect(try runner.succeed(["sets"]).contains("guest") == false, "no set was created")
        #expect(try runner.succeed(["log", "--json"]).isEmpty, "no transaction was logged")
    }

    @Test func dumpOptionsNeedADump() throws {
        let runner = try ToolRunner()
        let result = try runner.run(["import", "s", "--entries", "x", "--half", "user"])
        #expect(result.status != 0)
        #expect(result.error.contains("--half needs --dump FILE"), "\(result.error)")
        let both = try runner.run(["import", "s", "--image", "x", "--dump", "y"])
        #expect(both.error.contains("give exactly one of --entries FILE, --image DIR and --dump FILE"), "\(both.error)")
    }
}
