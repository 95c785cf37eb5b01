public import CaseStore
import CaseStorePostgres
public import Foundation

/// A store engine the store-facing suites run against: SQLite always, PostgreSQL when
/// `Scripts/test` started its throwaway cluster and exported `Y2A_TEST_POSTGRES`.
public enum StoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }
}

/// Fresh, empty stores on each engine, for tests. A PostgreSQL store is a new database on the
/// test cluster (so tests running in parallel never see each other's rows).
public enum TestStores {
    /// The cluster's address (`postgres://y2a@127.0.0.1:PORT/hub?sslmode=disable`), if any.
    public static var postgresAddress: PostgresAddress? {
        guard let text = ProcessInfo.processInfo.environment["Y2A_TEST_POSTGRES"], !text.isEmpty,
              case .postgres(let address) = try? StoreAddress(parsing: text)
        else { return nil }
        return address
    }

    /// The engines to run on. Without a cluster, says loudly (once) that PostgreSQL is skipped.
    public static let engines: [StoreKind] = {
        if postgresAddress != nil { return [.sqlite, .postgres] }
        FileHandle.standardError.write(Data("""

            ********************************************************************************
            * PostgreSQL store tests SKIPPED: Y2A_TEST_POSTGRES is not set. Scripts/test    *
            * starts a throwaway PostgreSQL 15 cluster and sets it (needs apt postgresql).  *
            ********************************************************************************

            """.utf8))
        return [.sqlite]
    }()

    /// The address of a new, empty store on `kind`: a file in a new temporary folder, or a new
    /// database on the test cluster (`cluster`: a test's own, instead of `Y2A_TEST_POSTGRES`).
    /// Registers the PostgreSQL engine, so `StoreEngine.open` of the address works whichever
    /// test runs first.
    public static func freshAddress(_ kind: StoreKind, cluster: PostgresAddress? = nil) throws -> StoreAddress {
        switch kind {
        case .sqlite:
            return .sqlite(path: try Fixtures.temporaryDirectory().appendingPathComponent("store.sqlite").path)
        case .postgres:
            registerEngines()
            guard var address = cluster ?? postgresAddress else {
                throw StoreError(code: "TEST-NO-POSTGRES", message: "Y2A_TEST_POSTGRES is not set", path: nil)
            }
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try psql(address, "CREATE DATABASE \(name)")
            address.database = name
            return .postgres(address)
        }
    }

    /// Runs one SQL statement on the cluster with psql (test set-up and inspection only) and
    /// answers its rows, one a line, columns split by `|`.
    @discardableResult
    public static func psql(_ address: PostgresAddress, _ sql: String, database: String = "postgres") throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-qAt", "-v", "ON_ERROR_STOP=1", "-h", address.host, "-p", String(address.port), "-U", address.user, "-d", database, "-c", sql]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-psql-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Bounded: a server that hangs must fail the test, not hang it.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw StoreError(code: "TEST-PSQL", message: "psql failed or timed out (\(process.terminationStatus))", path: nil)
        }
        return (try? String(contentsOf: output, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Runs SQL inside the store at `address` behind the engine's back (a test's tampering or
    /// inspection): psql for PostgreSQL. SQLite tests use GRDB directly.
    @discardableResult
    public static func psql(_ address: StoreAddress, _ sql: String) throws -> String {
        guard case .postgres(let postgres) = address else {
            throw StoreError(code: "TEST-PSQL", message: "not a PostgreSQL address", path: nil)
        }
        return try psql(postgres, sql, database: postgres.database)
    }

    /// Plugs the PostgreSQL engine into `StoreEngine`, as the y2a executable does at start-up
    /// (for tests that run the library in-process).
    public static func registerEngines() {
        PostgresStore.register()
    }

    /// The store at `address`, opened (and migrated) by its engine.
    public static func open(_ address: StoreAddress) async throws -> any Store {
        PostgresStore.register()
        return try await StoreEngine.open(address, writeAheadLog: false)
    }

    /// A new, empty store on `kind`, opened (and migrated) by the engine.
    public static func open(_ kind: StoreKind) async throws -> any Store {
        PostgresStore.register()
        return try await StoreEngine.open(try freshAddress(kind), writeAheadLog: false)
    }
}
