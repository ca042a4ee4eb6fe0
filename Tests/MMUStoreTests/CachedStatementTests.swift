import GRDB
import Testing

@testable import MMUStore

/// The record layer's checks: every bind, step and column lookup SQLite or the row type refuses
/// surfaces as a ``StoreError`` naming the SQL.
struct CachedStatementTests {
    /// The error `body` throws inside a read of a fresh store.
    private func failure(_ body: (Database) throws -> Void) throws -> StoreError? {
        let fixture = try StoreFixture()
        do {
            try fixture.store.read { db in try body(db) }
        } catch {
            return error
        }
        return nil
    }

    @Test func aParameterTheStatementDoesNotHaveIsABindError() throws {
        let sql = "SELECT id FROM translationSet WHERE id = ?1"
        let error = try #require(try failure { db in try CachedStatement(sql, on: db).bind(1, 2) })
        #expect(error.code == .io)
        #expect(error.message.contains("cannot bind parameter 2 of `\(sql)`"), "\(error.message)")
        #expect((error.cause as? DatabaseError)?.resultCode == .SQLITE_RANGE)
    }

    @Test func bindingAStatementInTheMiddleOfItsRowsIsABindError() throws {
        let sql = "SELECT id FROM translationSet WHERE id >= ?1"
        let error = try #require(
            try failure { db in
                let statement = try CachedStatement(sql, on: db)
                try statement.bind(0)
                #expect(try statement.step())
                try statement.bind(Int64(1), at: 1)
            })
        #expect(error.message.contains("cannot bind parameter 1 of `\(sql)`"), "\(error.message)")
        #expect((error.cause as? DatabaseError)?.resultCode == .SQLITE_MISUSE)
    }

    @Test func aStepSQLiteFailsIsAStoreErrorNamingTheSQL() throws {
        let sql = "SELECT abs(?1) AS id"
        let error = try #require(
            try failure { db in
                let statement = try CachedStatement(sql, on: db)
                try statement.bind(Int64.min)
                _ = try statement.step()
            })
        #expect(error.code == .io)
        #expect(error.message.contains("cannot run `\(sql)`: integer overflow"), "\(error.message)")
        #expect((error.cause as? DatabaseError)?.sql == sql)
    }

    @Test func aColumnTheRowNeedsAndTheQueryLacksIsNamed() throws {
        let sql = "SELECT 1 AS setId, 12 AS pageShift, 3 AS protection"
        let error = try #require(try failure { db in _ = try CachedStatement(sql, on: db).first(SummaryRow.self) })
        #expect(error.message == "`\(sql)` has no result column 'entries'")
    }

    @Test func rowsAreReadByColumnName() throws {
        let fixture = try StoreFixture()
        let rows = try fixture.store.read { db in
            try CachedStatement("SELECT 4 AS entries, 3 AS protection, 2 AS pageShift, 1 AS setId", on: db).all(SummaryRow.self)
        }
        #expect(rows.map { [$0.setID, $0.pageShift, $0.protection, $0.entries] } == [[1, 2, 3, 4]])
    }
}
