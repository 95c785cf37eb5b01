public import Foundation
import Synchronization

/// How a store is opened.
public struct StoreSettings: Sendable {
    /// SQLite: write-ahead log with `synchronous = FULL` (the batch: one fsync per commit,
    /// readers never wait, a committed decision survives a power cut).
    public var writeAheadLog: Bool
    /// Open without migrating or writing (a dry run); `StoreEngine.open` answers nil when
    /// there is no store yet.
    public var readOnly: Bool

    public init(writeAheadLog: Bool = false, readOnly: Bool = false) {
        self.writeAheadLog = writeAheadLog
        self.readOnly = readOnly
    }
}

/// Opens a store by its address. SQLite is built in; the PostgreSQL engine lives in its own
/// module (`CaseStorePostgres`, so that only what needs postgres-nio waits for it to build)
/// and is plugged in once at start-up with `register(postgres:)`.
public enum StoreEngine {
    public typealias PostgresOpener = @Sendable (PostgresAddress, StoreSettings) async throws -> (any Store)?

    private static let postgresOpener = Mutex<PostgresOpener?>(nil)

    /// Plugs in the PostgreSQL engine (idempotent).
    public static func register(postgres opener: @escaping PostgresOpener) {
        postgresOpener.withLock { $0 = opener }
    }

    /// Opens (creating and migrating if needed) the store at `address`. Read-only: nil when
    /// there is no store there yet.
    public static func open(_ address: StoreAddress, settings: StoreSettings = .init()) async throws -> (any Store)? {
        switch address {
        case .sqlite(let path):
            if settings.readOnly, !FileManager.default.fileExists(atPath: path) { return nil }
            return try CaseStore(path: path, settings: settings)
        case .postgres(let postgres):
            guard let opener = postgresOpener.withLock({ $0 }) else {
                throw StoreError(code: "STORE-ENGINE", message: "this build has no PostgreSQL engine", path: address.description)
            }
            return try await opener(postgres, settings)
        }
    }

    /// Opens a store for writing (never nil).
    public static func open(_ address: StoreAddress, writeAheadLog: Bool = false) async throws -> any Store {
        guard let store = try await open(address, settings: StoreSettings(writeAheadLog: writeAheadLog)) else {
            throw StoreError(code: "STORE-OPEN", message: "cannot open the store", path: address.description)
        }
        return store
    }
}
