import Foundation
import Testing

/// The store's own file edited behind its back: `mmu check` compares the schema with the one
/// the migrations make, and writing commands refuse a store whose schema differs.
struct PlantedSchemaTests {
    @Test(arguments: [
        ("CREATE TRIGGER wipe AFTER INSERT ON snapshot BEGIN DELETE FROM mmuEntry; END", "unexpected trigger wipe on snapshot"),
        ("CREATE VIEW extra AS SELECT 1", "unexpected view extra on extra"),
        ("CREATE INDEX hidden ON mmuEntry (pfn)", "unexpected index hidden on mmuEntry"),
        ("ALTER TABLE snapshot ADD COLUMN note TEXT", "table snapshot differs from MMUStore's definition"),
        ("DROP VIEW liveEntry", "missing view liveEntry"),
    ])
    func aPlantedSchemaObjectIsReportedAndRefusesWrites(sql: String, finding: String) throws {
        let runner = try ToolRunner()
        try runner.succeed(["init"])
        try runner.succeed(["sets", "create", "p"])
        try runner.succeed(["map", "p", "0x400000", "0x1000", "--count", "3"])
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        shell.arguments = [runner.directory.appendingPathComponent("mmu.sqlite").path, sql]
        try shell.run()
        shell.waitUntilExit()
        try #require(shell.terminationStatus == 0, "sqlite3 could not plant: \(sql)")
        for arguments in [["check"], ["check", "--deep"]] {
            let check = try runner.run(arguments)
            #expect(check.status == 1, "mmu \(arguments) passed after: \(sql)")
            #expect(check.output.contains("problem: schema: \(finding)"), "\(check.output)")
        }
        let snapshot = try runner.run(["snapshot", "p", "s"])
        #expect(snapshot.status == 1, "mmu snapshot wrote to a store with: \(sql)")
        #expect(snapshot.error.contains("schema is not MMUStore's: \(finding)"), "\(snapshot.error)")
        #expect(snapshot.error.contains("reading commands still work"), "\(snapshot.error)")
        #expect(try runner.succeed(["sql", "SELECT count(*) AS n FROM mmuEntry", "--csv"]) == "n\n3\n")
        #expect(try runner.succeed(["sql", "SELECT count(*) AS n FROM snapshot", "--csv"]) == "n\n0\n")
    }
}
