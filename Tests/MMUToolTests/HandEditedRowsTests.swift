import Foundation
import Testing

/// Integers read from the store's own file are range-checked before use: a row edited by hand
/// (through the `sqlite3` shell, past the CHECK constraints) gives an error or a reported
/// problem, never a trap, in every command that reads or writes it.
struct HandEditedRowsTests {
    @Test(arguments: [
        "INSERT INTO memoryArea VALUES (2, 4503599627370501, 0, NULL, 1, 3, 'anonymous', 0, 'x')",
        "INSERT INTO memoryArea VALUES (2, 9223372036854775807, 0, NULL, 9223372036854775807, 3, 'anonymous', 0, 'x')",
        "UPDATE mmuEntry SET vpn = 4503599627370496 WHERE vpn = 1024",
        "UPDATE mmuEntry SET pageShift = 200 WHERE vpn = 1024",
        "UPDATE translationSet SET headGeneration = -5 WHERE name = 'p'",
        "UPDATE translationSet SET headGeneration = 9223372036854775807 WHERE name = 'p'",
        "UPDATE translationSet SET headGeneration = 1000000000000 WHERE name = 'p'",
        "UPDATE translationSet SET headGeneration = 9223372036854775807 WHERE name = 'global'",
        "UPDATE translationSet SET compactedThrough = -9223372036854775808 WHERE name = 'p'",
        "UPDATE translationSet SET storedRows = -9223372036854775808 WHERE name = 'p'",
        "UPDATE liveSummary SET pageShift = 5",
        "UPDATE liveSummary SET entries = -3",
        "UPDATE liveSummary SET entries = 9223372036854775807",
        "UPDATE transactionLog SET sequence = 9223372036854775807 WHERE sequence = (SELECT max(sequence) FROM transactionLog)",
        "UPDATE transactionLog SET generation = 9223372036854775807 WHERE sequence = (SELECT max(sequence) FROM transactionLog)",
        "UPDATE snapshot SET generation = 9223372036854775807",
        "UPDATE snapshot SET globalGeneration = -9223372036854775808",
        "UPDATE mmuEntry SET born = 9223372036854775807",
        "INSERT INTO pageActivity VALUES (2, 1024, -5, 0, 0, 0, 0)",
        "INSERT INTO pageActivity VALUES (2, -1, 1, 0, 0, 0, 0)",
    ])
    func aHandEditedIntegerIsAnErrorNeverATrap(edit: String) throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "3"])
        try runner.succeed(["snapshot", "p", "s1"])
        try runner.succeed(["map", "p", "0x800000", "0x1000"])
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [runner.directory.appendingPathComponent("mmu.sqlite").path, "PRAGMA ignore_check_constraints = ON; \(edit)"]
        try shell.run()
        shell.waitUntilExit()
        try #require(shell.terminationStatus == 0, "sqlite3 could not apply: \(edit)")
        for arguments in [
            ["check"], ["show", "p"], ["show", "p@s1"], ["stats"], ["stats", "p"], ["log", "p"], ["diff", "p@s1", "p"],
            ["build", "p", "-f", "x86_64-4level"], ["map", "p", "0x900000", "0x1000"], ["snapshot", "p", "s2"],
        ] {
            let process = Process()
            process.executableURL = ToolRunner.executable
            process.arguments = arguments
            process.currentDirectoryURL = runner.directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "mmu \(arguments.joined(separator: " ")) died of signal \(process.terminationStatus) after: \(edit)")
        }
        let check = try runner.run(["check"])
        #expect(check.status == 1, "mmu check passed after: \(edit)\n\(check.output)")
    }
}
