import Batch
import CaseStore
import Foundation
import TestSupport
import Testing

/// `y2a batch` on PostgreSQL with the server restarted in the middle of a run, then killed with
/// SIGKILL at random points: the run that loses its server fails clearly (exit 3, a stable
/// code, no personal data), its advisory lock ends with its connection, and the next runs
/// finish with the end state of one clean run. On a cluster of the test's own: restarting the
/// shared `Y2A_TEST_POSTGRES` one would cut the other suites' connections. Every wait is
/// bounded (the cluster's scripts, each run, the generator, psql), so a fault fails the test
/// instead of hanging it.
@Suite("y2a batch: PostgreSQL restarted mid-run", .serialized, .enabled(if: TestStores.postgresAddress != nil, "needs PostgreSQL (Scripts/test sets Y2A_TEST_POSTGRES)"))
struct BatchRestartTests {
    static let files = 300
    static let kills = 3

    @Test("PostgreSQL restarted once mid-run, the batch killed at random points: the cut run exits 3, the next runs finish, the end state equals one clean run")
    func restartedMidRun() async throws {
        try await offThePool { try Self.restartedMidRun() }
    }

    static func restartedMidRun() throws {
        let cluster = try TestCluster.start()
        defer { cluster.stop() }
        let corpus = try Corpus.make(count: Self.files)
        let reference = try Workspace(engine: .postgres, cluster: cluster.address)
        try corpus.prepare(reference)
        let clean = try CLI.batch(reference.configPath, killAfter: 120)
        try #require(!clean.killed && clean.status == 1, "the clean run: \(clean.stdout)\(clean.stderr)")
        let expected = try Snapshot(reference)

        let space = try Workspace(engine: .postgres, cluster: cluster.address)
        try corpus.prepare(space)
        let total = space.names("inbox").count
        let run = try CLI.start(space.configPath)
        // Restart once the run has moved ten files, while it is still handling the others.
        let deadline = Date().addingTimeInterval(60)
        while run.isRunning, space.names("inbox").count > total - 10, Date() < deadline { usleep(2_000) }
        let left = space.names("inbox").count
        let landed = run.isRunning && left > 0
        try cluster.restart()
        let cut = run.finish(killAfter: 120)
        #expect(landed, "the restart must land mid-run (\(left) of \(total) files left)")
        #expect(!cut.killed, "the cut run must end by itself: \(cut.stdout)\(cut.stderr)")
        #expect(cut.status == BatchRunReport.ExitCode.failure, "\(cut.stdout)\(cut.stderr)")
        let output = cut.stdout + cut.stderr
        #expect(output.contains("BATCH-LOCK-LOST") || output.contains("STORE-UNAVAILABLE"), "\(output)")
        let personal = try corpus.personalValues()
        #expect(!personal.isEmpty)
        for value in personal where output.contains(value) {
            Issue.record("the cut run's output holds a personal value of the corpus")
        }
        // Its lock went with its connection: nobody holds it, and the run is recorded as failed.
        let store = space.configuration.store
        #expect(try TestStores.psql(store, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = 7304") == "0")
        #expect(try TestStores.psql(store, "SELECT status FROM batchRun ORDER BY id") == "failed")
        #expect(space.names("inbox").count > 0, "the cut run left work for the next")

        var random = SplitMix64(seed: 20261203)
        var killed = 0
        for _ in 0..<Self.kills {
            let delay = 0.05 + Double(random.next() % 1_500) / 1_000
            guard try CLI.batch(space.configPath, killAfter: delay).killed else { break }
            killed += 1
        }
        let last = try CLI.batch(space.configPath, killAfter: 120)
        #expect(!last.killed && [0, 1].contains(last.status), "the last run: \(last.stdout)\(last.stderr)")
        let got = try Snapshot(space)
        #expect(got == expected, "after the restart and \(killed) kills: \(got.difference(from: expected))")
    }
}

/// A PostgreSQL cluster of one test's own (`Scripts/pg-test-cluster` in a new folder), which
/// the test may restart.
struct TestCluster {
    let folder: String
    let address: PostgresAddress

    static let script = Fixtures.root.appendingPathComponent("Scripts/pg-test-cluster")

    /// The folder is directly in /tmp: as root the server runs as `postgres`, which must be
    /// able to reach it (the test's own temporary folders are private).
    static func start() throws -> TestCluster {
        let folder = "/tmp/y2a-pg-\(UUID().uuidString.lowercased())"
        let started = try Y2ACommand.run(["start", folder], killAfter: 60, executable: script)
        let text = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !started.killed, started.status == 0, case .postgres(let address) = try? StoreAddress(parsing: text) else {
            _ = try? Y2ACommand.run(["stop", folder], killAfter: 30, executable: script)
            throw StoreError(code: "TEST-CLUSTER", message: "Scripts/pg-test-cluster start failed (\(started.status), killed \(started.killed)): \(started.stderr)", path: folder)
        }
        return TestCluster(folder: folder, address: address)
    }

    /// `pg_ctl restart -m fast`: every connection is cut; back when it accepts connections.
    func restart() throws {
        let restarted = try Y2ACommand.run(["restart", folder], killAfter: 60, executable: Self.script)
        guard !restarted.killed, restarted.status == 0 else {
            throw StoreError(code: "TEST-CLUSTER", message: "Scripts/pg-test-cluster restart failed (\(restarted.status), killed \(restarted.killed)): \(restarted.stderr)", path: folder)
        }
    }

    func stop() {
        _ = try? Y2ACommand.run(["stop", folder], killAfter: 30, executable: Self.script)
    }
}

extension Corpus {
    /// The personal values (names, dates of birth, offence text) of the generated assessments.
    func personalValues() throws -> Set<String> {
        var values = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".xml") {
            values.formUnion(PersonalValues.values(in: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)))
        }
        return values
    }
}
