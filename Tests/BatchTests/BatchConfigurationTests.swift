import Batch
import Foundation
import TestSupport
import Testing

@Suite("y2a batch: configuration")
struct BatchConfigurationTests {
    @Test("the documented example parses, with every section")
    func example() async throws {
        let configuration = try BatchConfiguration.load(from: Fixtures.root.appendingPathComponent("docs/batch.example.toml"))
        #expect(configuration.organisation == "N07")
        #expect(configuration.inbox.path == "/srv/y2a/inbox")
        #expect(configuration.trustStore?.path == "/srv/y2a/trust")
        #expect(configuration.workers == 2 && configuration.settleSeconds == 10)
        #expect(configuration.limits.maxDepth == 64 && configuration.maxPackageBytes == 209_715_200)
        #expect(configuration.lockFile?.path == "/srv/y2a/.cases.sqlite.batch-lock")
        #expect(configuration.limits.maxAttributes == 256)
        #expect(configuration.log == BatchLogSettings(level: nil, format: .text))
    }

    @Test("relative paths are taken from the configuration's folder")
    func relative() async throws {
        let space = try Workspace()
        #expect(space.configuration.inbox.path == space.folder("inbox").standardizedFileURL.path)
    }

    @Test("mistakes are named", arguments: [
        ("organisation = \"N07\"\nstore = \"s\"\nworkrs = 2\n[folders]\ninbox=\"a\"\noutbox=\"b\"\narchive=\"c\"\nquarantine=\"d\"\nreports=\"e\"", "CONFIG-KEY"),
        ("organisation = \"N07\"\nstore = \"s\"", "CONFIG-MISSING"),
        ("organisation = \"N07\"\nstore = 5\n[folders]\ninbox=\"a\"\noutbox=\"b\"\narchive=\"c\"\nquarantine=\"d\"\nreports=\"e\"", "CONFIG-TYPE"),
        ("organisation = \"n07\"\nstore = \"s\"\n[folders]\ninbox=\"a\"\noutbox=\"b\"\narchive=\"c\"\nquarantine=\"d\"\nreports=\"e\"", "CONFIG-VALUE"),
        ("organisation = \"N07\"\nstore = \"s\"\n[folders]\ninbox=\"a\"\noutbox=\"a\"\narchive=\"c\"\nquarantine=\"d\"\nreports=\"e\"", "CONFIG-VALUE"),
        ("organisation = \"N07\nstore", "CONFIG-SYNTAX"),
    ])
    func mistakes(text: String, code: String) throws {
        let error = try #require(throws: BatchError.self) { try BatchConfiguration.parse(text, base: URL(fileURLWithPath: "/tmp")) }
        #expect(error.code == code, "\(error)")
    }
}
