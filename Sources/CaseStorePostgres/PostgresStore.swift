public import CaseStore
import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// The PostgreSQL engine of the store (postgres-nio), for a hub: several gateway nodes and a
/// batch host on one database. The same interfaces, schema versions and guarantees as the
/// SQLite engine; where SQLite serialises every writer on the file, this engine locks only
/// what must not race (advisory locks by person, by receiver, for migrations and the batch).
public final class PostgresStore: Store {
    let client: PostgresClient
    let address: PostgresAddress
    /// The same server and credentials, for the one direct connection `open` makes first.
    private let probeConfiguration: PostgresConnection.Configuration
    let logger: Logger
    private let running: Task<Void, Never>
    /// The server process id of the connection holding this store's batch lock, while it is
    /// held: every transaction then checks that the lock is still that session's (below).
    let batchLockHolder = Mutex<Int32?>(nil)

    public var location: String { address.description }

    /// Plugs this engine into `StoreEngine` (idempotent).
    public static func register() {
        StoreEngine.register(postgres: { address, settings in try await PostgresStore.open(address, settings: settings) })
    }

    /// Connects and brings the schema up to date (read-only: checks it, nil when there is none).
    public static func open(_ address: PostgresAddress, settings: StoreSettings = .init()) async throws(StoreError) -> PostgresStore? {
        let store = try PostgresStore(address)
        do {
            try await store.probe()
            if settings.readOnly {
                guard try await store.schemaExists() else {
                    await store.close()
                    return nil
                }
                try await store.checkNotNewer()
            } else {
                try await store.migrate()
            }
        } catch {
            await store.close()
            throw store.storeError(error)
        }
        return store
    }

    init(_ address: PostgresAddress) throws(StoreError) {
        self.address = address
        var logger = Logger(label: "y2a.store.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let tls: PostgresClient.Configuration.TLS
        let probeTLS: PostgresConnection.Configuration.TLS
        switch address.tls {
        case .disable:
            tls = .disable
            probeTLS = .disable
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tls = .require(configuration)
            probeTLS = .require(try Self.sslContext(configuration))
        case .verifyFull:
            tls = .require(.makeClientConfiguration())
            probeTLS = .require(try Self.sslContext(.makeClientConfiguration()))
        }
        let password = try address.password()
        var configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: password,
            database: address.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        var probe = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: password, database: address.database, tls: probeTLS)
        probe.options.connectTimeout = .seconds(10)
        probeConfiguration = probe
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    static func sslContext(_ configuration: TLSConfiguration) throws(StoreError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw StoreError(code: "STORE-ACCESS", message: "cannot set up TLS for PostgreSQL (\(type(of: error)))", path: nil)
        }
    }

    /// One direct connection before the pool is used: a server that is down, refuses this user
    /// or wants TLS fails here at once (the pool would retry in the background while callers wait).
    func probe() async throws {
        let connection = try await PostgresConnection.connect(configuration: probeConfiguration, id: 0, logger: logger)
        try await connection.close()
    }

    public func close() async {
        running.cancel()
        await running.value
    }

    // MARK: Running statements

    /// A read (or a single statement) on a pooled connection.
    func withConnection<T>(_ body: (PostgresConnection) async throws -> sending T) async throws(StoreError) -> sending T {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw storeError(error)
        }
    }

    /// One transaction (READ COMMITTED, with the advisory locks the body takes). An error the
    /// body throws that is not the database's (a refused move) is rethrown as is.
    ///
    /// While this store holds the batch lock, each transaction first checks, inside itself, that
    /// the lock is still held by the session that took it. A server restart (or the lock's
    /// connection cut) ends that session and its lock while the pool reconnects the others: a
    /// run that went on would work unlocked beside the next run that takes the lock. It stops
    /// instead, with `BATCH-LOCK-LOST`, and nothing of the refused transaction is written.
    ///
    /// BEGIN, COMMIT and ROLLBACK go through `run` (not postgres-nio's `withTransaction`), so
    /// a connection the server closes fails them instead of leaving them waiting.
    func transaction<T>(_ body: (PostgresConnection) async throws -> sending T) async throws -> sending T {
        let holder = batchLockHolder.withLock { $0 }
        do {
            return try await client.withConnection { connection in
                try await connection.run("BEGIN", logger: self.logger)
                do {
                    if let holder { try await self.checkBatchLock(held: holder, connection) }
                    let value = try await body(connection)
                    try await connection.run("COMMIT", logger: self.logger)
                    return value
                } catch {
                    try? await connection.run("ROLLBACK", logger: self.logger)
                    throw error
                }
            }
        } catch let error where !(error is PSQLError) && !(error is StoreError) && !(error is ConnectionClosed) {
            throw error
        } catch {
            throw storeError(error)
        }
    }

    /// Maps postgres-nio's failures to the store's codes. Never shows a statement's values
    /// nor the server's DETAIL (either may hold a child's name).
    func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError {
            return storeError(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? StoreError(code: "STORE-ERROR", message: "the transaction failed", path: location))
        }
        func fail(_ code: String, _ message: String) -> StoreError { StoreError(code: code, message: message, path: location) }
        if error is ConnectionClosed {
            return fail("STORE-UNAVAILABLE", "lost the connection to the PostgreSQL server (it closed the connection: a restart, or the session ended); check that it is running, then run again (nothing was half-written)")
        }
        guard let error = error as? PSQLError else {
            return fail("STORE-UNAVAILABLE", "cannot reach the PostgreSQL server (\(type(of: error))); check that it is running and reachable, then run again (nothing was half-written)")
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            switch state {
            case "40001", "40P01", "55P03":
                return fail("STORE-LOCKED", "a concurrent writer held what this change needed (SQLSTATE \(state)); run again")
            case "53100", "53200":
                return fail("STORE-FULL", "the PostgreSQL server is out of disk or memory; free space and run again (nothing was half-written)")
            case "28000", "28P01", "42501", "3D000":
                return fail("STORE-ACCESS", "PostgreSQL refused this user or database (SQLSTATE \(state)); check the address, the role's grants and $PGPASSWORD or password_file")
            case _ where state.hasPrefix("57") || state.hasPrefix("08"):
                return fail("STORE-UNAVAILABLE", "the PostgreSQL server is shutting down, restarting or unreachable (SQLSTATE \(state)); run again when it is back (nothing was half-written)")
            case "23505":
                return fail("STORE-CONSTRAINT", "the change conflicts with a row already stored (SQLSTATE 23505, unique constraint)")
            default:
                // The server's primary message names the table or constraint, never a value
                // (values are only ever in DETAIL, which is not shown).
                let message = error.serverInfo?[.message].map { ": \($0)" } ?? ""
                return fail("STORE-ERROR", "PostgreSQL error SQLSTATE \(state)\(message)")
            }
        case .authMechanismRequiresPassword, .unsupportedAuthMechanism, .saslError:
            return fail("STORE-ACCESS", "the PostgreSQL server wants a password: give it in $PGPASSWORD or a file (password_file=PATH)")
        case .sslUnsupported, .failedToAddSSLHandler:
            return fail("STORE-ACCESS", "the PostgreSQL server does not offer TLS; fix the server, or use sslmode=disable on a trusted local network only")
        case .connectionError:
            return fail("STORE-UNAVAILABLE", "cannot connect to the PostgreSQL server; check that it is running and reachable at this host and port, then run again (nothing was written)")
        default:
            return fail("STORE-UNAVAILABLE", "lost the connection to the PostgreSQL server (\(error.code)); check that it is running, then run again (nothing was half-written)")
        }
    }

    // MARK: Schema

    /// True when this database has been migrated (a dry run reads nothing from an empty one).
    func schemaExists() async throws(StoreError) -> Bool {
        try await withConnection { connection in
            try await connection.rows("SELECT to_regclass('y2a_migrations') IS NOT NULL", logger: self.logger) { try $0.next(Bool.self) }.first ?? false
        }
    }

    func appliedVersions(_ connection: PostgresConnection) async throws -> [String] {
        try await connection.rows("SELECT identifier FROM y2a_migrations", logger: logger) { try $0.next(String.self) }
    }

    func checkNotNewer() async throws(StoreError) {
        let applied = try await withConnection { connection in try await self.appliedVersions(connection) }
        try Self.checkKnown(applied, location: location)
    }

    static func checkKnown(_ applied: [String], location: String) throws(StoreError) {
        let known = Set(PostgresSchema.migrations.map(\.identifier))
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw StoreError.tooNew(unknown, path: location) }
    }

    /// Applies the missing migrations in one transaction under an advisory lock, so several
    /// nodes starting at once migrate once: the first applies, the others wait and find
    /// nothing to do. A database migrated by a newer y2a is refused.
    func migrate() async throws {
        let versions = PostgresSchema.migrations.map(\.identifier)
        if try await schemaExists() {
            let applied = try await withConnection { connection in try await self.appliedVersions(connection) }
            try Self.checkKnown(applied, location: location)
            if Set(applied).isSuperset(of: versions) { return }
        }
        let location = location
        try await transaction { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(\(LockSpace.migrations.rawValue), 0)", logger: self.logger)
            try await connection.run("CREATE TABLE IF NOT EXISTS y2a_migrations (identifier TEXT PRIMARY KEY, appliedAt TIMESTAMPTZ NOT NULL DEFAULT now())", logger: self.logger)
            let applied = try await self.appliedVersions(connection)
            try Self.checkKnown(applied, location: location)
            for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await migration.fill?(self, connection)
                try await connection.run("INSERT INTO y2a_migrations (identifier) VALUES (\(migration.identifier))", logger: self.logger)
            }
        }
    }
}

/// The first key of every two-key advisory lock the store takes, so its locks never collide
/// with each other (nor with an application's one-key locks: the two key spaces are apart).
enum LockSpace: Int32 {
    case migrations = 7301
    /// A person's match key or PNC: storing cases about one person is serialised.
    case person = 7302
    /// A receiver: its package decisions are serialised.
    case receiver = 7303
    /// The nightly batch: one run at a time on the whole database.
    case batch = 7304
    /// A sign-in throttle key: its failures are counted one at a time.
    case throttle = 7305
}

extension PostgresConnection {
    /// Runs a statement and reads its rows with `map`.
    func rows<T>(_ query: PostgresQuery, logger: Logger, _ map: (inout Cells) throws -> T) async throws -> [T] {
        try await allRows(query, logger: logger).map { row in
            var cells = Cells(row)
            return try map(&cells)
        }
    }

    /// Runs a statement, reading (and dropping) any rows.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await allRows(query, logger: logger)
    }
}

/// A row's cells, read in order.
struct Cells {
    private let row: PostgresRandomAccessRow
    private var index = 0

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    mutating func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        defer { index += 1 }
        return try row[index].decode(T.self)
    }
}

/// Positional parameters for SQL built at run time (`$1`, `$2`, ...). A class, so that
/// `bind.query("... \(bind(value))")` reads the bindings after its argument has added them.
final class Binder {
    var bindings = PostgresBindings()

    /// Binds `value` and answers its placeholder.
    func callAsFunction<T: PostgresDynamicTypeEncodable>(_ value: T) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    /// Binds bytes (`bytea`) and answers the placeholder.
    func bytes(_ value: Data) throws -> String {
        try bindings.append(value)
        return "$\(bindings.count)"
    }

    /// The query with these bindings.
    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
