import Foundation
import GRDB

extension CaseStore: StoreCopying {
    public func copyRows(of table: StoreTable, offset: Int, limit: Int) async throws -> [[StoreValue]] {
        // A transfer has no id: the insertion order (rowid) keeps "newest first" ties as they were.
        let order = table.name == "transfer" ? "rowid" : table.key.joined(separator: ", ")
        let sql = "SELECT \(table.columnNames.joined(separator: ", ")) FROM \(table.name) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)"
        return try await asyncRead { db in
            try Row.fetchAll(db, sql: sql).map { row in
                (0..<row.count).map { index in
                    switch (row[index] as DatabaseValue).storage {
                    case .null: .null
                    case .int64(let value): .integer(value)
                    case .double(let value): .real(value)
                    case .string(let value): .text(value)
                    case .blob(let value): .blob(value)
                    }
                }
            }
        }
    }

    public func insertRows(_ rows: [[StoreValue]], into table: StoreTable) async throws {
        let written = table.columns.indices.filter { !table.derived.contains(table.columns[$0].name) }
        let names = written.map { table.columns[$0].name }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: written.count).joined(separator: ", ")
        let sql = "INSERT OR IGNORE INTO \(table.name) (\(names)) VALUES (\(marks))"
        try await asyncWrite { db in
            for row in rows {
                let values: [(any DatabaseValueConvertible)?] = written.map { index in
                    switch row[index] {
                    case .null: nil
                    case .integer(let value): value
                    case .real(let value): value
                    case .text(let value): value
                    case .blob(let value): value
                    }
                }
                try db.execute(sql: sql, arguments: StatementArguments(values))
            }
        }
    }

    public func appliedSchemaVersions() async throws -> [String] {
        try await asyncRead { db in
            try db.tableExists("grdb_migrations") ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        }
    }

    public func rowCount(of table: StoreTable) async throws -> Int {
        try await asyncRead { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.name)") ?? 0 }
    }

    /// SQLite's integer primary keys continue past the largest row by themselves.
    /// The full-text index is not a copied table: it is built from the copied `caseWord`.
    public func finishCopy() async throws {
        _ = try await asyncWrite { db in try Self.fillSearchIndex(db) }
    }
}
