import Foundation
import TestSupport
import Testing

/// Hostile files in the inbox: each is quarantined with its reason, and the run goes on.
@Suite("y2a batch: hostile input", .serialized)
struct BatchHostileInputTests {
    @Test("a document stopped inside a start tag (3 MB attribute) is quarantined; the worker and the next file live on")
    func stoppedInsideStartTag() async throws {
        try await offThePool { try Self.stoppedInsideStartTag() }
    }

    static func stoppedInsideStartTag() throws {
        let space = try Workspace(workers: 1)
        try space.drop(bytes: HostileDocuments.withRootAttribute("valid/asset-core-profile.xml", bytes: 1_048_576), as: "a.xml")
        try space.drop(bytes: HostileDocuments.withRootAttribute("valid/assetplus-transfer-to-probation.xml", bytes: 3_000_000), as: "b.xml")
        try space.drop("valid/asset-bail-asset.xml")
        // glibc then unmaps freed parser buffers at once: the old use-after-free crashed every time.
        let run = try Y2ACommand.run(
            ["batch", "--config", space.configPath], environment: ["GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072"])
        #expect(!run.killed, "\(run.stderr)")
        #expect(run.status == 1, "\(run.stderr)")
        #expect(space.names("archive") == ["asset-bail-asset.xml"])
        #expect(space.names("quarantine") == ["a.xml", "a.xml.findings.json", "b.xml", "b.xml.findings.json"])
        let note = try String(contentsOf: space.folder("quarantine").appendingPathComponent("b.xml.findings.json"), encoding: .utf8)
        #expect(note.contains("XML-LIMIT-TEXT"))
    }
}
