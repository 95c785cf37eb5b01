import Batch
import CaseStore
import Foundation
import Gateway
import GRDB
import TestSupport
import Testing
import Transfers

/// `y2a batch` as cron runs it, killed with SIGKILL at random moments and run again until it
/// finishes: the end state must be exactly that of one clean run.
@Suite("y2a batch: crash safety", .serialized)
struct BatchCrashTests {
    static let files = 300
    static let iterations = 3
    static let killsPerIteration = 4

    @Test("killed at random points (seeded) and rerun: every file handled exactly once", arguments: TestStores.engines)
    func killedAndRerun(engine: StoreKind) async throws {
        try await offThePool { try Self.killedAndRerun(engine) }
    }

    static func killedAndRerun(_ engine: StoreKind) throws {
        let corpus = try Corpus.make(count: Self.files)
        let reference = try Workspace(engine: engine)
        try corpus.prepare(reference)
        let clean = try CLI.batch(reference.configPath)
        #expect(clean.status == 1, "\(clean.stdout)\(clean.stderr)")
        let expected = try Snapshot(reference)
        #expect(expected.inbox.isEmpty)
        #expect(expected.archive.count + expected.quarantine.count / 2 == corpus.count)

        var random = SplitMix64(seed: 20261123)
        var midRunKills = 0
        for iteration in 0..<Self.iterations {
            let space = try Workspace(engine: engine)
            try corpus.prepare(space)
            var killed = 0
            for _ in 0..<Self.killsPerIteration {
                let delay = 0.05 + Double(random.next() % 2_500) / 1_000
                guard try CLI.batch(space.configPath, killAfter: delay).killed else { break }
                killed += 1
                // A kill that landed while files were being handled (not before or after).
                let left = space.names("inbox").count
                if left > 0, left < corpus.count { midRunKills += 1 }
            }
            let last = try CLI.batch(space.configPath)
            #expect([0, 1].contains(last.status), "iteration \(iteration): \(last.stdout)\(last.stderr)")
            let got = try Snapshot(space)
            #expect(got == expected, "iteration \(iteration) after \(killed) kills differs: \(got.difference(from: expected))")
        }
        #expect(midRunKills >= Self.iterations, "the kills must land mid-run to test anything")
    }
}

/// The inbox every run starts from: generated assessments (valid and invalid, all different),
/// packages for us and for someone else, receipts for transfers we sent.
struct Corpus {
    var folder: URL
    var packages: [(name: String, bytes: Data)]
    var sent: [PackageBuilder.Built]
    var receipts: [(name: String, bytes: Data)]

    var count: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".xml") }.count + packages.count + receipts.count
    }

    static func make(count: Int) throws -> Corpus {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("corpus")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // One process (--jobs 1): the generator's multiprocessing pool was seen to hang once
        // when started from the test process. Output is identical for any --jobs.
        process.arguments = ["python3", Fixtures.root.appendingPathComponent("Scripts/generate-samples").path, "small", "--count", "\(count)", "--out", folder.path, "--jobs", "1"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Bounded, so a generator that hangs fails the test instead of hanging it.
        let deadline = Date().addingTimeInterval(180)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw GatewayError(code: "TEST", message: "Scripts/generate-samples failed (\(process.terminationStatus))")
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("expected.json"))
        let now = BatchTransferTests.now
        let tests = BatchTransferTests()
        let packages = try ["N07", "N07", "K99"].map { code -> (String, Data) in
            let built = try tests.build(to: code)
            return ("\(built.manifest.transferId).y2a.zip", built.package)
        }
        let sent = try (0..<2).map { _ in try tests.build(to: "K07") }
        let receipts = sent.enumerated().map { index, built in
            ("\(built.manifest.transferId).receipt.xml", tests.receipt(built.manifest.transferId, index == 0 ? .accepted : .rejected))
        }
        _ = now
        return Corpus(folder: folder, packages: packages, sent: sent, receipts: receipts)
    }

    /// Fills a workspace's inbox, and its store with the transfers the receipts answer.
    func prepare(_ space: Workspace) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            try FileManager.default.copyItem(at: folder.appendingPathComponent(name), to: space.folder("inbox").appendingPathComponent(name))
        }
        for (name, bytes) in packages + receipts { try space.drop(bytes: bytes, as: name) }
        let sent = self.sent
        try blocking {
            let store = try await space.openStore()
            let ledger = TransferLedger(store: store)
            defer { Task { await store.close() } }
            for built in sent {
                try await ledger.recordExport(built.manifest, documentId: built.record.source.documentId, packageSha256: built.packageSha256)
                _ = try await ledger.move(built.manifest.transferId, to: .transferred, detail: nil)
            }
        }
    }
}

/// Everything a run leaves behind, in comparable form (times taken out of receipts; ids that
/// depend on the order of work left out).
struct Snapshot: Equatable {
    var inbox: [String]
    var archive: [String: String]
    var quarantine: [String: String]
    var outbox: [String: String]
    var cases: [String]
    var people: Int
    var journal: [String]
    var received: [String]
    var transfers: [String]
    var leftovers: [String]

    init(_ space: Workspace) throws {
        func hashes(_ folder: String, normalise: Bool = false) throws -> [String: String] {
            var out: [String: String] = [:]
            for name in space.names(folder) {
                var data = try Data(contentsOf: space.folder(folder).appendingPathComponent(name))
                if normalise {
                    let text = String(decoding: data, as: UTF8.self).replacing(/<DecidedAt>[^<]*<\/DecidedAt>/, with: "<DecidedAt/>")
                    data = Data(text.utf8)
                }
                out[name] = DocumentProcessor.sha256Hex(data)
            }
            return out
        }
        inbox = space.names("inbox")
        archive = try hashes("archive")
        quarantine = try hashes("quarantine")
        outbox = try hashes("outbox", normalise: true)
        leftovers = ["archive", "quarantine", "outbox"].flatMap { space.names($0).filter { $0.hasPrefix(".") } }
        if case .postgres = space.configuration.store {
            func rows(_ sql: String) throws -> [String] {
                try TestStores.psql(space.configuration.store, sql).split(separator: "\n").map(String.init)
            }
            cases = try rows("SELECT sha256 FROM caseRecord ORDER BY sha256 COLLATE \"C\"")
            people = Int(try TestStores.psql(space.configuration.store, "SELECT COUNT(*) FROM person")) ?? -1
            journal = try rows("SELECT name || ' ' || sha256 || ' ' || kind || ' ' || outcome || ' ' || destination || ' ' || codes || ' ' || encode(COALESCE(findingsJSON, ''::bytea), 'hex') || ' ' || COALESCE(receiptName, '') FROM processedFile ORDER BY name COLLATE \"C\"")
            received = try rows("SELECT packageSha256 || ' ' || decision || ' ' || reasons FROM receivedPackage ORDER BY packageSha256 COLLATE \"C\"")
            transfers = try rows("SELECT transferId || ' ' || status FROM transfer ORDER BY transferId COLLATE \"C\"")
            return
        }
        let store = try space.store()
        (cases, people, journal, received, transfers) = try store.read { db in
            (try String.fetchAll(db, sql: "SELECT sha256 FROM caseRecord ORDER BY sha256"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person") ?? 0,
             try String.fetchAll(db, sql: "SELECT name || ' ' || sha256 || ' ' || kind || ' ' || outcome || ' ' || destination || ' ' || codes || ' ' || hex(COALESCE(findingsJSON, '')) || ' ' || COALESCE(receiptName, '') FROM processedFile ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT packageSha256 || ' ' || decision || ' ' || reasons FROM receivedPackage ORDER BY packageSha256"),
             try String.fetchAll(db, sql: "SELECT transferId || ' ' || status FROM transfer ORDER BY transferId"))
        }
    }

    func difference(from other: Snapshot) -> String {
        var parts: [String] = []
        if inbox != other.inbox { parts.append("inbox \(inbox)") }
        if archive != other.archive { parts.append("archive \(archive.count) vs \(other.archive.count)") }
        if quarantine != other.quarantine { parts.append("quarantine \(Set(quarantine.keys).symmetricDifference(other.quarantine.keys)) or contents") }
        if outbox != other.outbox { parts.append("outbox \(outbox) vs \(other.outbox)") }
        if cases != other.cases { parts.append("cases \(cases.count) vs \(other.cases.count)") }
        if journal != other.journal { parts.append("journal \(Set(journal).symmetricDifference(other.journal).prefix(4))") }
        if received != other.received { parts.append("received \(received) vs \(other.received)") }
        if transfers != other.transfers { parts.append("transfers \(transfers) vs \(other.transfers)") }
        if leftovers != other.leftovers { parts.append("leftovers \(leftovers)") }
        return parts.joined(separator: "; ")
    }
}

/// A small seeded generator, so a failing kill schedule can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The `y2a` executable, as cron starts it.
enum CLI {
    typealias Run = Y2ACommand.Run

    /// Runs `y2a batch --config`; with `killAfter`, sends SIGKILL after that many seconds
    /// unless it has finished.
    static func batch(_ config: String, extra: [String] = [], killAfter: Double? = nil) throws -> Run {
        try Y2ACommand.run(["batch", "--config", config] + extra, killAfter: killAfter)
    }

    /// Starts `y2a batch --config` and answers while it runs.
    static func start(_ config: String) throws -> Y2ACommand.Started {
        try Y2ACommand.start(["batch", "--config", config])
    }
}
