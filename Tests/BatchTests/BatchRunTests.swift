import Batch
import BuildInfo
import CaseStore
import Foundation
import TestSupport
import Testing

@Suite("y2a batch: one run")
struct BatchRunTests {
    @Test("a mixed inbox: valid stored and archived, invalid and garbage quarantined with findings, partial uploads left", arguments: TestStores.engines)
    func mixedInbox(engine: StoreKind) async throws {
        let space = try Workspace(engine: engine)
        for name in Fixtures.validSampleNames { try space.drop(name) }
        try space.drop("invalid/episode-mixes-offence-and-incident.xml")
        try space.drop("invalid/binary-garbage.xml")
        try space.drop("invalid/empty-file.xml")
        try space.drop("valid/asset-bail-asset.xml", as: "upload.xml.tmp")
        try space.drop("valid/asset-bail-asset.xml", as: ".hidden.xml")
        try space.drop("valid/asset-bail-asset.xml", as: "big.xml.part")

        let report = try await space.runner().run()
        #expect(report.exitStatus == BatchRunReport.ExitCode.quarantined)
        #expect(report.counts == ["stored": Fixtures.validSampleNames.count, "quarantined": 3])
        #expect(report.leftForLater == 3)
        #expect(space.names("inbox") == [".hidden.xml", "big.xml.part", "upload.xml.tmp"])
        #expect(space.names("archive").count == Fixtures.validSampleNames.count)
        #expect(space.names("quarantine") == [
            "binary-garbage.xml", "binary-garbage.xml.findings.json", "empty-file.xml", "empty-file.xml.findings.json",
            "episode-mixes-offence-and-incident.xml", "episode-mixes-offence-and-incident.xml.findings.json",
        ])
        let note = try JSONSerialization.jsonObject(with: Data(contentsOf: space.folder("quarantine").appendingPathComponent("episode-mixes-offence-and-incident.xml.findings.json"))) as! [String: Any]
        let findings = try #require(note["findings"] as? [[String: Any]])
        #expect(findings.first?["code"] as? String == "AP-EPISODE-MIX")
        #expect(findings.first?["line"] is Int)
        #expect(note["outcome"] as? String == "quarantined")

        let store = try await space.openStore()
        #expect(try await store.counts().cases == Fixtures.validSampleNames.count)
        #expect(try await store.processedFiles().count == Fixtures.validSampleNames.count + 3)
        // The reports: JSON and HTML, named by run time, no personal data.
        let reports = space.names("reports")
        #expect(reports.count == 2 && reports.allSatisfy { $0.hasPrefix("batch-") })
        let html = try String(contentsOf: space.folder("reports").appendingPathComponent(reports.first { $0.hasSuffix(".html") }!), encoding: .utf8)
        #expect(html.contains("<style>") && html.contains("AP-EPISODE-MIX"))
        // Both say which build ran: version, commit, build date, libxml2.
        #expect(html.contains("<p>\(BuildInfo.current.line).</p>"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: space.folder("reports").appendingPathComponent(reports.first { $0.hasSuffix(".json") }!))) as? [String: Any]
        #expect((json?["report"] as? [String: Any])?["y2a"] as? [String: String] == BuildInfo.current.dictionary)
        for sample in Fixtures.validSampleNames {
            let record = try Fixtures.process(file: Fixtures.sample(sample), convert: true).caseRecord!
            #expect(!html.contains(record.person.familyName), "\(sample)")
        }

        // A second run finds nothing to do; the same bytes under a new name are a duplicate.
        try space.drop("valid/asset-bail-asset.xml", as: "again.xml")
        let second = try await space.runner().run()
        #expect(second.counts == ["duplicate": 1])
        #expect(second.exitStatus == BatchRunReport.ExitCode.ok)
        #expect(try await store.counts().cases == Fixtures.validSampleNames.count)
        await store.close()
    }

    @Test("the HTML report escapes what it shows")
    func escaped() async throws {
        let space = try Workspace()
        try space.drop(bytes: Data("<x/>".utf8), as: "a<script>&'.xml")
        let report = try await space.runner().run()
        let html = report.html(organisation: "N07")
        #expect(html.contains("a&lt;script&gt;&amp;&#39;.xml"))
        #expect(!html.contains("<script>"))
    }

    @Test("a dry run changes nothing: no file moved, no row written, no report")
    func dryRun() async throws {
        let space = try Workspace()
        try space.drop("valid/asset-bail-asset.xml")
        try space.drop("invalid/binary-garbage.xml")
        let report = try await space.runner().run(dryRun: true)
        #expect(report.counts == ["would-store": 1, "would-quarantine": 1])
        #expect(space.names("inbox") == ["asset-bail-asset.xml", "binary-garbage.xml"])
        #expect(space.names("").sorted() == ["batch.toml", "inbox"])
    }

    @Test("a second run while the first holds the lock stops at once")
    func lock() async throws {
        let space = try Workspace()
        try FileManager.default.createDirectory(at: space.configuration.store.sqliteFile!.deletingLastPathComponent(), withIntermediateDirectories: true)
        var held: BatchLock? = try BatchLock(at: space.configuration.lockFile!)
        try space.drop("valid/asset-bail-asset.xml")
        await #expect(throws: BatchError.self) { try await space.runner().run() }
        do {
            _ = try await space.runner().run()
        } catch {
            #expect(error.isLocked)
        }
        #expect(space.names("inbox") == ["asset-bail-asset.xml"])
        #expect(held != nil)
        held = nil
        #expect(try await space.runner().run().counts == ["stored": 1])
    }

    @Test("on PostgreSQL a batch on another host holding the advisory lock: exit 4 at once, nothing moved", .enabled(if: TestStores.postgresAddress != nil))
    func postgresLock() async throws {
        let space = try Workspace(engine: .postgres)
        try space.drop("valid/asset-bail-asset.xml")
        let other = try await space.openStore()
        let held = try #require(try await other.takeBatchLock())
        let locked = try await offThePool { try CLI.batch(space.configPath) }
        #expect(locked.status == 4, "\(locked.stdout)\(locked.stderr)")
        #expect(locked.stderr.contains("BATCH-LOCKED"))
        #expect(space.names("inbox") == ["asset-bail-asset.xml"])
        await held.release()
        let run = try await offThePool { try CLI.batch(space.configPath) }
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try await other.counts().cases == 1)
        await other.close()
    }
}
