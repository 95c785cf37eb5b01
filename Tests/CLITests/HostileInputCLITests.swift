import Foundation
import TestSupport
import Testing

/// Hostile input as the command line meets it: one bad file never takes the run down.
@Suite("y2a command line: hostile input")
struct HostileInputCLITests {
    /// glibc unmaps a freed block above this size at once (the fixed threshold also switches off
    /// its sliding one), so reading a freed parser buffer crashes every time instead of now and then.
    static let strictMalloc = ["GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072"]

    /// Issue 13, point 1: a document refused for a long attribute (3 MB, over the 1 MiB limit)
    /// stopped the parser inside the start-tag callback, and libxml2's schema validator then
    /// read the attribute from the freed input buffer: SIGSEGV.
    @Test("a document stopped by a limit inside a start tag does not crash the worker or the next document")
    func stoppedInsideStartTag() throws {
        let directory = try Fixtures.temporaryDirectory()
        let first = directory.appendingPathComponent("a.xml")
        let second = directory.appendingPathComponent("b.xml")
        let third = directory.appendingPathComponent("c.xml")
        try HostileDocuments.withRootAttribute("valid/asset-core-profile.xml", bytes: 1_048_576).write(to: first)
        try HostileDocuments.withRootAttribute("valid/assetplus-transfer-to-probation.xml", bytes: 3_000_000).write(to: second)
        // A long text run stops the parser in the characters callback, which the validator
        // follows with the same pointers too (not seen to crash on the old main: its chunks are small).
        let text = Data("<!-- -->".utf8) + Data(repeating: UInt8(ascii: "y"), count: 3_000_000)
        try HostileDocuments.withContentAfterRoot("valid/assetplus-transfer-to-probation.xml", text).write(to: third)
        let run = try Y2ACommand.run(
            ["validate", "-j", "1", first.path, second.path, third.path, Fixtures.sample("valid/asset-core-profile.xml")],
            environment: Self.strictMalloc)
        #expect(!run.killed, "\(run.stderr)")
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("a.xml:2:"), "\(run.stdout)")
        #expect(run.stdout.contains("b.xml: error[XML-LIMIT-TEXT]"), "\(run.stdout)")
        #expect(run.stdout.contains("c.xml:"), "\(run.stdout)")
        #expect(run.stdout.contains("4 files: 1 valid, 3 invalid"), "\(run.stdout)")
    }

    /// Runs `y2a` as an unprivileged user (root reads any folder whatever its mode), when the
    /// tests run as root; else as ourselves.
    static func runUnprivileged(_ arguments: [String]) throws -> Y2ACommand.Run {
        guard getuid() == 0 else { return try Y2ACommand.run(arguments) }
        return try Y2ACommand.run(
            ["--reuid=65534", "--regid=65534", "--clear-groups", Y2ACommand.binary.path] + arguments,
            executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
    }

    @Test("a folder that cannot be read is an I/O error (exit 3, permission denied), not 0 files")
    func unreadableFolder() throws {
        let directory = try Fixtures.temporaryDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let locked = directory.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.sample("valid/asset-core-profile.xml"), toPath: locked.appendingPathComponent("a.xml").path)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: locked.path) }
        for target in [locked.path, directory.path] {  // named, and met while walking
            let run = try Self.runUnprivileged(["validate", "--schemas", Fixtures.xsdDirectory.path, target])
            #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("Permission denied") || run.stderr.contains("permission denied"), "\(run.stderr)")
            #expect(!run.stdout.contains("0 files"), "\(run.stdout)")
        }
    }

    @Test("a FIFO named on the command line is refused at once (validate and transfer import)")
    func fifo() throws {
        let directory = try Fixtures.temporaryDirectory()
        let fifo = directory.appendingPathComponent("pipe.xml")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let validate = try Y2ACommand.run(["validate", fifo.path], killAfter: 20)
        #expect(!validate.killed, "blocked on the FIFO")
        #expect(validate.status == 3)
        #expect(validate.stderr.contains("IO-NOT-REGULAR") && validate.stderr.contains("FIFO"), "\(validate.stderr)")
        let store = directory.appendingPathComponent("s.sqlite").path
        let imported = try Y2ACommand.run(["transfer", "import", fifo.path, "--as", "N07", "--store", store, "--receipts", directory.path], killAfter: 20)
        #expect(!imported.killed, "blocked on the FIFO")
        #expect(imported.status == 3)
        #expect(imported.stderr.contains("IO-NOT-REGULAR"), "\(imported.stderr)")
        let receipt = try Y2ACommand.run(["transfer", "receipt", fifo.path, "--store", store], killAfter: 20)
        #expect(!receipt.killed, "blocked on the FIFO")
        #expect(receipt.status == 3)
        #expect(receipt.stderr.contains("IO-NOT-REGULAR"), "\(receipt.stderr)")
        let export = try Y2ACommand.run(["transfer", "export", Fixtures.sample("valid/assetplus-transfer-to-probation.xml"), "--kind", "YouthToAdult",
                                         "--to", "N07", "--to-name", "Northtown PDU", "--attach", fifo.path, "--out", directory.appendingPathComponent("out").path,
                                         "--store", store], killAfter: 20)
        #expect(!export.killed, "blocked on the FIFO")
        #expect(export.status == 3)
        #expect(export.stderr.contains("IO-NOT-REGULAR"), "\(export.stderr)")
    }

    @Test("read commands on a store that does not exist say so and create nothing")
    func missingStore() throws {
        let directory = try Fixtures.temporaryDirectory()
        let store = directory.appendingPathComponent("nowhere.sqlite").path
        for arguments in [["transfer", "status", "--store", store], ["serve", "--store", store, "--port", "0"], ["audit", "--store", store]] {
            let run = try Y2ACommand.run(arguments, killAfter: 20)
            #expect(!run.killed, "\(arguments) served an empty store")
            #expect(run.status == 3, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("STORE-MISSING"), "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: store), "\(arguments) created a store")
        }
    }
}

/// The README's tables are the user's reference: they must say what the binary does.
@Suite("README reference tables")
struct ReadmeReferenceTests {
    @Test("the README's finding-code table is `y2a codes`, row for row")
    func findingCodes() throws {
        let readme = try String(contentsOf: Fixtures.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Finding codes").dropFirst().first)
        let rows = section.split(separator: "\n").prefix { !$0.hasPrefix("Rule codes") }
            .compactMap { line -> String? in
                guard let match = line.wholeMatch(of: /\| `([A-Z0-9-]+)` \| (error|warning) \| (.*) \|/) else { return nil }
                return "\(match.1) \(match.2) \(match.3)"
            }
        let codes = try Y2ACommand.run(["codes", "--format", "json"])
        let catalogue = try #require(try JSONSerialization.jsonObject(with: Data(codes.stdout.utf8)) as? [[String: String]])
        #expect(rows == catalogue.map { "\($0["code"] ?? "") \($0["severity"] ?? "") \($0["meaning"] ?? "")" })
    }
}
