import Batch
import CaseStore
import Foundation
import Gateway
import Logging
import TestSupport

/// A batch workspace in a fresh temporary folder: config, inbox and the other folders.
struct Workspace {
    let root: URL
    var configuration: BatchConfiguration

    /// The store is `store/cases.sqlite` here, or (`engine: .postgres`) a new database on the
    /// test cluster.
    /// `cluster`: a PostgreSQL cluster of the test's own, instead of `Y2A_TEST_POSTGRES`.
    init(workers: Int = 2, extra: String = "", engine: StoreKind = .sqlite, cluster: PostgresAddress? = nil) throws {
        TestStores.registerEngines()
        root = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        let store = engine == .sqlite ? "store/cases.sqlite" : try TestStores.freshAddress(.postgres, cluster: cluster).description
        let text = BatchFolders.configuration(organisation: "N07", store: store, workers: workers, extra: extra)
        try Data(text.utf8).write(to: Self.configURL(root))
        configuration = try BatchConfiguration.load(from: Self.configURL(root))
    }

    static func configURL(_ root: URL) -> URL { root.appendingPathComponent("batch.toml") }
    var configPath: String { Self.configURL(root).path }

    func folder(_ name: String) -> URL { root.appendingPathComponent(name) }

    /// Copies a sample (path relative to SampleFiles) into the inbox, optionally renamed.
    func drop(_ sample: String, as name: String? = nil) throws {
        let source = URL(fileURLWithPath: Fixtures.sample(sample))
        try FileManager.default.copyItem(at: source, to: folder("inbox").appendingPathComponent(name ?? source.lastPathComponent))
    }

    func drop(bytes: Data, as name: String) throws {
        try bytes.write(to: folder("inbox").appendingPathComponent(name))
    }

    /// Names in a folder (sorted; empty when it does not exist).
    func names(_ name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder(name).path)) ?? []).sorted()
    }

    func runner() -> BatchRunner {
        BatchRunner(configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// The workspace's store on its engine.
    func openStore() async throws -> any Store {
        if let file = configuration.store.sqliteFile {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        return try await TestStores.open(configuration.store)
    }

    /// The workspace's SQLite store, for tests that read it behind the engine's back.
    func store() throws -> CaseStore {
        try FileManager.default.createDirectory(at: configuration.store.sqliteFile!.deletingLastPathComponent(), withIntermediateDirectories: true)
        return try CaseStore(path: configuration.store.sqliteFile!.path)
    }
}

/// Runs blocking work (child processes, whole batch runs) on a thread of its own, so it never
/// holds one of the few cooperative threads that other suites' async tests (the portal's
/// server) need while it waits.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Waits, on a thread of its own (a test run `offThePool`), for async work to finish; after
/// `seconds`, throws instead of waiting on (a store that never answers fails the test).
func blocking<T: Sendable>(seconds: Double = 120, _ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingBox<T>()
    let done = DispatchSemaphore(value: 0)
    let task = Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .success else {
        task.cancel()
        throw GatewayError(code: "TEST-TIMEOUT", message: "async work did not finish within \(Int(seconds)) s")
    }
    return try box.result!.get()
}

/// What `blocking` hands from the task to the waiting thread (guarded by its semaphore).
final class BlockingBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
