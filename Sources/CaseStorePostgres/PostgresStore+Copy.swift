public import CaseStore
import Foundation
import PostgresNIO

extension PostgresStore: StoreCopying {
    public func copyRows(of table: StoreTable, offset: Int, limit: Int) async throws -> [[StoreValue]] {
        // Text keys bytewise, as SQLite orders them; a transfer in insertion order (its seq).
        let order = table.name == "transfer" ? "seq" : table.key.map { key in
            table.columns.first { $0.name == key }?.kind == .text ? "\(key) COLLATE \"C\"" : key
        }.joined(separator: ", ")
        let statement = PostgresQuery(unsafeSQL: "SELECT \(table.columnNames.joined(separator: ", ")) FROM \(table.name) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)")
        let kinds = table.columns.map(\.kind)
        return try await withConnection { connection in
            try await connection.rows(statement, logger: self.logger) { cells in
                try kinds.map { kind -> StoreValue in
                    switch kind {
                    case .integer: try cells.next(Int64?.self).map(StoreValue.integer) ?? .null
                    case .boolean: try cells.next(Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null
                    case .real: try cells.next(Double?.self).map(StoreValue.real) ?? .null
                    case .text: try cells.next(String?.self).map(StoreValue.text) ?? .null
                    case .blob: try cells.next(Data?.self).map(StoreValue.blob) ?? .null
                    }
                }
            }
        }
    }

    public func insertRows(_ rows: [[StoreValue]], into table: StoreTable) async throws {
        let columns = table.columns
        try await transaction { connection in
            for row in rows {
                let bind = Binder()
                let values = try zip(columns, row).map { column, value -> String in
                    switch (column.kind, value) {
                    case (_, .null): return "NULL"
                    case (.boolean, .integer(let flag)): return bind(flag != 0)
                    case (.integer, .integer(let number)): return bind(number)
                    case (.real, .real(let number)): return bind(number)
                    case (.real, .integer(let number)): return bind(Double(number))
                    case (_, .text(let text)): return bind(text)
                    case (_, .blob(let bytes)): return try bind.bytes(bytes)
                    case (_, .integer(let number)): return bind(number)
                    case (_, .real(let number)): return bind(number)
                    }
                }
                let sql = "INSERT INTO \(table.name) (\(table.columnNames.joined(separator: ", "))) VALUES (\(values.joined(separator: ", "))) ON CONFLICT DO NOTHING"
                try await connection.run(bind.query(sql), logger: self.logger)
            }
        }
    }

    public func appliedSchemaVersions() async throws -> [String] {
        guard try await schemaExists() else { return [] }
        return try await withConnection { connection in try await self.appliedVersions(connection) }
    }

    public func rowCount(of table: StoreTable) async throws -> Int {
        let statement = PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.name)")
        let count = try await withConnection { connection in
            try await connection.rows(statement, logger: self.logger) { try $0.next(Int64.self) }.first ?? 0
        }
        return Int(count)
    }

    /// Identity columns continue past the largest copied id.
    public func finishCopy() async throws {
        try await transaction { connection in
            for table in StoreCopier.tables where table.columns.first?.name == "id" {
                try await connection.run(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), COALESCE((SELECT MAX(id) FROM \(table.name)), 0) + 1, false)
                    """), logger: self.logger)
            }
            // The full-text index is not a copied table: it is built from the copied `caseWord`.
            try await connection.run(PostgresQuery(unsafeSQL: PostgresStore.fillSearchIndex), logger: self.logger)
        }
    }
}
