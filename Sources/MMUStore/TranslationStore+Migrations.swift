import Foundation
import GRDB

extension TranslationStore {
    /// The folder of migration files bundled with the module.
    static func migrationsDirectory() throws(StoreError) -> URL {
        guard let url = Bundle.module.url(forResource: "migrations", withExtension: nil) else {
            throw StoreError(.io, "the migrations folder is missing from the MMUStore resources bundle")
        }
        return url
    }

    /// The migration files, sorted by name: `NNNN_description.sql`.
    static func migrationFiles() throws(StoreError) -> [URL] {
        let directory = try migrationsDirectory()
        do {
            return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "sql" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw StoreError(.io, "cannot list \(directory.path): \(error.localizedDescription)")
        }
    }

    /// The identifiers of the migrations this program knows: the file stems, in order.
    public static func migrationIdentifiers() throws(StoreError) -> [String] {
        try migrationFiles().map { $0.deletingPathExtension().lastPathComponent }
    }

    /// The migrator that applies every file of `migrations/` in name order.
    static func migrator() throws(StoreError) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for file in try migrationFiles() {
            let sql: String
            do {
                sql = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw StoreError(.io, "cannot read migration \(file.lastPathComponent): \(error.localizedDescription)")
            }
            migrator.registerMigration(file.deletingPathExtension().lastPathComponent) { db in
                try db.execute(sql: sql)
            }
        }
        return migrator
    }

    /// Applies the migrations that have not run yet.
    static func migrate(_ writer: any DatabaseWriter) throws {
        try migrator().migrate(writer)
    }

    /// The migrations recorded as applied in this store, in order.
    ///
    /// - Throws: ``StoreError`` when the database cannot be read.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try Self.migrator().appliedMigrations(db) }
    }
}

extension TranslationStore {
    /// The SQL of every migration, concatenated in order: the schema as one script (for tools
    /// that build the same schema without the store, such as the benchmark's C reference).
    public static func migrationSQL() throws(StoreError) -> String {
        var script = ""
        for file in try migrationFiles() {
            do {
                script += try String(contentsOf: file, encoding: .utf8) + "\n"
            } catch {
                throw StoreError(.io, "cannot read migration \(file.lastPathComponent): \(error.localizedDescription)")
            }
        }
        return script
    }
}
