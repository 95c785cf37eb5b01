import Batch
import CaseStore
import Foundation
import GRDB
import Gateway
import TestSupport
import Testing

/// Faults: each stops or skips with a clear error, keeps what was done, exits 3; the next run
/// recovers without help.
@Suite("y2a batch: faults", .serialized)
struct BatchFaultTests {
    /// A mixed inbox: three valid, two invalid.
    static func mixed(_ space: Workspace) throws {
        for name in ["valid/asset-bail-asset.xml", "valid/assetplus-review-in-progress.xml", "valid/contract-example-assetplus.xml",
                     "invalid/binary-garbage.xml", "invalid/episode-mixes-offence-and-incident.xml"] {
            try space.drop(name)
        }
    }

    /// After recovery: every file handled once, as one clean run would.
    static func expectComplete(_ space: Workspace) throws {
        #expect(space.names("inbox").isEmpty)
        #expect(space.names("archive") == ["asset-bail-asset.xml", "assetplus-review-in-progress.xml", "contract-example-assetplus.xml"])
        #expect(space.names("quarantine") == ["binary-garbage.xml", "binary-garbage.xml.findings.json", "episode-mixes-offence-and-incident.xml", "episode-mixes-offence-and-incident.xml.findings.json"])
        let store = try space.store()
        #expect(try store.counts().cases == 3)
        #expect(try store.processedFiles().count == 5)
    }

    @Test("a read-only quarantine folder: valid files done, invalid ones decided but left; the next run moves them")
    func readOnlyQuarantine() async throws {
        let space = try Workspace()
        try Self.mixed(space)
        let quarantine = space.folder("quarantine")
        try FileManager.default.createDirectory(at: quarantine, withIntermediateDirectories: true)
        let readOnly = try ReadOnlyFolder(quarantine)
        let report = try await space.runner().run()
        #expect(report.exitStatus == BatchRunReport.ExitCode.failure)
        #expect(report.counts == ["stored": 3, "failed": 2])
        #expect(report.text.contains("failed: "))
        #expect(space.names("inbox") == ["binary-garbage.xml", "episode-mixes-offence-and-incident.xml"])
        try readOnly.restore()
        let again = try await space.runner().run()
        #expect(again.counts == ["quarantined": 2])
        #expect(again.files.allSatisfy { $0.recovered })
        try Self.expectComplete(space)
    }

    @Test("a corrupt store: exit 3 with a clear message, nothing moved; a restored store recovers")
    func corruptStore() async throws {
        try await offThePool { try Self.corruptStore() }
    }

    static func corruptStore() throws {
        let space = try Workspace()
        try Self.mixed(space)
        try FileManager.default.createDirectory(at: space.configuration.store.sqliteFile!.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: space.configuration.store.sqliteFile!)
        let run = try CLI.batch(space.configPath)
        #expect(run.status == 3)
        #expect(run.stderr.contains("STORE-CORRUPT"), "\(run.stderr)")
        #expect(space.names("inbox").count == 5)
        #expect(space.names("archive").isEmpty && space.names("quarantine").isEmpty)
        try FileManager.default.removeItem(at: space.configuration.store.sqliteFile!)
        #expect(try CLI.batch(space.configPath).status == 1)
        try Self.expectComplete(space)
    }

    @Test("a store migrated by a newer y2a: exit 3 with STORE-TOO-NEW, nothing moved, a dry run refuses it too")
    func tooNewStore() async throws {
        try await offThePool { try Self.tooNewStore() }
    }

    static func tooNewStore() throws {
        let space = try Workspace()
        try Self.mixed(space)
        let store = try space.store()
        try store.database.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v6-later')") }
        for extra in [[], ["--dry-run"]] {
            let run = try CLI.batch(space.configPath, extra: extra)
            #expect(run.status == 3)
            #expect(run.stderr.contains("STORE-TOO-NEW"), "\(run.stderr)")
        }
        #expect(space.names("inbox").count == 5)
        #expect(space.names("archive").isEmpty && space.names("quarantine").isEmpty)
        #expect(try store.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batchRun") } == 0)
    }

    @Test("a store locked by another process: exit 3 with STORE-LOCKED after the busy timeout, nothing moved; the next run recovers")
    func lockedStore() async throws {
        try await offThePool { try Self.lockedStore() }
    }

    static func lockedStore() throws {
        let space = try Workspace()
        try Self.mixed(space)
        _ = try space.store()  // created and migrated
        // Another process's writer holds an exclusive lock for longer than the store's busy timeout (10 s).
        let holder = try DatabaseQueue(path: space.configuration.store.sqliteFile!.path)
        let locked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread {
            try? holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                locked.signal()
                release.wait()
                try db.execute(sql: "ROLLBACK")
            }
        }.start()
        locked.wait()
        let run = try CLI.batch(space.configPath)
        release.signal()
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect((run.stdout + run.stderr).contains("STORE-LOCKED"), "\(run.stdout)\(run.stderr)")
        #expect(space.names("archive").isEmpty && space.names("quarantine").isEmpty)
        #expect(try CLI.batch(space.configPath).status == 1)
        try Self.expectComplete(space)
    }

    @Test("a file deleted between listing and reading: skipped with IO-VANISHED, the rest done, exit 3")
    func vanished() async throws {
        let space = try Workspace()
        try Self.mixed(space)
        var runner = space.runner()
        let victim = space.folder("inbox").appendingPathComponent("assetplus-review-in-progress.xml")
        runner.afterListing = { _ in try? FileManager.default.removeItem(at: victim) }
        let report = try await runner.run()
        #expect(report.exitStatus == BatchRunReport.ExitCode.failure)
        let failed = try #require(report.files.first { $0.outcome == .failed })
        #expect(failed.name == "assetplus-review-in-progress.xml" && failed.error?.contains("IO-VANISHED") == true)
        #expect(report.counts == ["stored": 2, "quarantined": 2, "failed": 1])
        #expect(try await space.runner().run().exitStatus == BatchRunReport.ExitCode.ok)
    }

    @Test("disk full while writing outputs (injected through the file-operations seam): decided files stay, the next run finishes")
    func diskFullInjected() async throws {
        let space = try Workspace()
        try Self.mixed(space)
        var runner = space.runner()
        let system = BatchFileOperations.system
        runner.files = BatchFileOperations(
            read: system.read,
            write: { _, url in throw GatewayError(code: "IO-WRITE", message: "cannot write the file: No space left on device", path: url.path) },
            rename: system.rename)
        let report = try await runner.run()
        #expect(report.exitStatus == BatchRunReport.ExitCode.failure)
        #expect(report.counts == ["stored": 3, "failed": 2])
        #expect(report.failure != nil, "the run report could not be written either")
        #expect(try await space.runner().run().counts == ["quarantined": 2])
        try Self.expectComplete(space)
    }

    @Test("disk full for real: a tiny tmpfs as the archive (root only, else skipped)", .enabled(if: TinyDisk.available))
    func diskFullTmpfs() async throws {
        let space = try Workspace()
        try Self.mixed(space)
        let archive = space.folder("archive")
        let disk = try TinyDisk(at: archive, bytes: 8 * 1024)
        let report = try await space.runner().run()
        #expect(report.exitStatus == BatchRunReport.ExitCode.failure)
        #expect(report.files.contains { $0.outcome == .failed && ($0.error ?? "").contains("No space left") }, "\(report.files)")
        // Moved out of the full disk: everything completes.
        let kept = try FileManager.default.contentsOfDirectory(atPath: archive.path).map { ($0, try Data(contentsOf: archive.appendingPathComponent($0))) }
        try disk.remove()
        for (name, bytes) in kept { try bytes.write(to: archive.appendingPathComponent(name)) }
        #expect([0, 1].contains(try await space.runner().run().exitStatus))
        try Self.expectComplete(space)
    }

    @Test("a second y2a batch while one holds the lock exits 4 at once")
    func lockExitCode() async throws {
        try await offThePool { try Self.lockExitCode() }
    }

    static func lockExitCode() throws {
        let space = try Workspace()
        try Self.mixed(space)
        try FileManager.default.createDirectory(at: space.configuration.store.sqliteFile!.deletingLastPathComponent(), withIntermediateDirectories: true)
        var held: BatchLock? = try BatchLock(at: space.configuration.lockFile!)
        let run = try CLI.batch(space.configPath)
        #expect(run.status == 4)
        #expect(run.stderr.contains("another y2a batch run holds the lock"))
        #expect(space.names("inbox").count == 5)
        #expect(held != nil)
        held = nil
        #expect(try CLI.batch(space.configPath).status == 1)
    }
}

/// A folder made read-only: a read-only tmpfs mounted over it when running as root (root
/// ignores permission bits), else mode 0500.
struct ReadOnlyFolder {
    let url: URL
    let mounted: Bool

    init(_ url: URL) throws {
        self.url = url
        if getuid() == 0 {
            mounted = TinyDisk.mount(["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", url.path])
            if mounted { return }
        } else {
            mounted = false
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: url.path)
    }

    func restore() throws {
        if mounted {
            _ = TinyDisk.mount(["-l", url.path], command: "/bin/umount")
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
        }
    }
}

/// A tiny tmpfs, to fill a disk for real.
struct TinyDisk {
    let url: URL

    static let available: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-tmpfs-probe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard mount(["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe.path]) else { return false }
        return mount([probe.path], command: "/bin/umount")
    }()

    init(at url: URL, bytes: Int) throws {
        self.url = url
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        guard Self.mount(["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", url.path]) else {
            throw GatewayError(code: "TEST", message: "cannot mount a tmpfs")
        }
    }

    func remove() throws {
        _ = Self.mount(["-l", url.path], command: "/bin/umount")
    }

    static func mount(_ arguments: [String], command: String = "/bin/mount") -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
