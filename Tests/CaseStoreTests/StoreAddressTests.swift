import CaseStore
import Foundation
import GRDB
import TestSupport
import Testing

@Suite("store address")
struct StoreAddressTests {
    @Test("a path, sqlite:PATH and a relative path are SQLite; ~ is expanded")
    func sqlite() throws {
        #expect(try StoreAddress(parsing: "/srv/y2a/cases.sqlite") == .sqlite(path: "/srv/y2a/cases.sqlite"))
        #expect(try StoreAddress(parsing: "sqlite:/srv/y2a/cases.sqlite") == .sqlite(path: "/srv/y2a/cases.sqlite"))
        #expect(try StoreAddress(parsing: "cases.sqlite", relativeTo: URL(fileURLWithPath: "/etc/y2a")) == .sqlite(path: "/etc/y2a/cases.sqlite"))
        #expect(try StoreAddress(parsing: "cases.sqlite") == .sqlite(path: "cases.sqlite"))
        #expect(try StoreAddress(parsing: "~/c.sqlite").sqliteFile?.path.hasPrefix("~") == false)
    }

    @Test("postgres:// with user, host, port, database and sslmode; verify-full by default")
    func postgres() throws {
        let address = try StoreAddress(parsing: "postgres://y2a@db.example:6543/hub?sslmode=disable")
        #expect(address == .postgres(PostgresAddress(user: "y2a", host: "db.example", port: 6543, database: "hub", tls: .disable)))
        #expect(address.description == "postgres://y2a@db.example:6543/hub?sslmode=disable")
        #expect(address.sqliteFile == nil)
        let defaults = try StoreAddress(parsing: "postgresql://gw@db/hub")
        #expect(defaults == .postgres(PostgresAddress(user: "gw", host: "db", port: 5432, database: "hub", tls: .verifyFull)))
    }

    @Test("the password never comes from the address: PGPASSWORD, or the file named by password_file")
    func password() throws {
        #expect {
            _ = try StoreAddress(parsing: "postgres://y2a:secret@db/hub")
        } throws: { error in
            let error = error as? StoreError
            return error?.code == "STORE-ADDRESS" && error?.description.contains("secret") == false
        }
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("pw")
        try Data("from-file\nignored\n".utf8).write(to: file)
        guard case .postgres(let fromFile) = try StoreAddress(parsing: "postgres://y2a@db/hub?password_file=\(file.path)") else {
            Issue.record("not PostgreSQL")
            return
        }
        #expect(try fromFile.password(environment: ["PGPASSWORD": "env"]) == "from-file")
        #expect(!fromFile.description.contains("from-file"))
        guard case .postgres(let fromEnvironment) = try StoreAddress(parsing: "postgres://y2a@db/hub") else { return }
        #expect(try fromEnvironment.password(environment: ["PGPASSWORD": "env"]) == "env")
        #expect(try fromEnvironment.password(environment: [:]) == nil)
    }

    @Test("refused: empty, unknown scheme, no user, no database, unknown sslmode or parameter", arguments: [
        "", "mysql://y2a@db/hub", "postgres://db/hub", "postgres://y2a@db", "postgres://y2a@db/hub?sslmode=prefer", "postgres://y2a@db/hub?x=1",
    ])
    func refused(_ text: String) {
        #expect {
            _ = try StoreAddress(parsing: text)
        } throws: { error in
            (error as? StoreError)?.code == "STORE-ADDRESS"
        }
    }
}

@Suite("store schema versions")
struct StoreMigrationTests {
    @Test("a store migrated by a newer y2a is refused with STORE-TOO-NEW, before anything is written")
    func tooNew() throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("new.sqlite")
        let store = try CaseStore(path: file.path)
        try store.database.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        #expect {
            _ = try CaseStore(path: file.path)
        } throws: { error in
            let error = error as? StoreError
            return error?.code == "STORE-TOO-NEW" && error?.message.contains("v99-from-the-future") == true
        }
        #expect {
            _ = try CaseStore(path: file.path, settings: StoreSettings(readOnly: true))
        } throws: { error in
            (error as? StoreError)?.code == "STORE-TOO-NEW"
        }
    }

    @Test("versions are kept in grdb_migrations (as GRDB's migrator kept them), so earlier stores read the same; reopening changes nothing")
    func versions() throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("fresh.sqlite")
        _ = try CaseStore(path: file.path)
        let store = try CaseStore(path: file.path)
        let versions = try store.database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
        #expect(versions == CaseStore.schemaVersions)
        #expect(CaseStore.schemaVersions == ["v1-cases", "v2-transfers", "v3-case-documents", "v4-batch", "v5-access", "v6-received-parties", "v7-list-indexes", "v8-api-tokens", "v9-search-index", "v10-source-compression"])
    }
}
