import CaseStore
import Foundation
import TestSupport
import Testing

/// Issue 17 point 7: the CLI stays the tool of scripts and cron, on the same store as the portal.
/// A package `y2a batch` decided for N07 is on N07's Transfers page of `y2a serve`; a transfer
/// B23 sends in the browser is in `y2a transfer status`.
@Suite("Transfers: the CLI, the batch and the portal on one store", .serialized)
struct TransfersAcrossToolsTests {
    static let password = "correct horse battery staple"

    @Test("a package decided by y2a batch shows in the browser; a transfer sent in the browser shows in y2a transfer status", arguments: TestStores.engines)
    func oneStore(engine: StoreKind) async throws {
        let hub = try TestStores.freshAddress(engine).description
        for (code, name, kind) in [("N07", "Northtown PDU", "probation"), ("B23", "Northtown YOT", "yot")] {
            let added = try Y2ACommand.run(["orgs", "add", "--store", hub, "--code", code, "--name", name, "--kind", kind])
            #expect(added.status == 0, "\(added.stderr)")
        }
        for (user, org, role) in [("nina", "N07", "practitioner"), ("bob", "B23", "admin")] {
            let added = try Y2ACommand.run(
                ["users", "add", "--store", hub, "--org", org, "--role", role, "--name", user, "--password-stdin", "--bcrypt-cost", "4"],
                input: Self.password + "\n")
            #expect(added.status == 0, "\(added.stderr)")
        }

        // A YOT elsewhere exports a package for N07; the hub's nightly batch decides it as N07.
        let work = try Fixtures.temporaryDirectory()
        let sender = work.appendingPathComponent("sender.sqlite").path
        let exported = try Y2ACommand.run([
            "transfer", "export", "--store", sender, "--kind", "YouthToAdult", "--to", "N07", "--to-name", "Northtown PDU",
            "--out", work.appendingPathComponent("inbox").path, Fixtures.sample("valid/contract-example-assetplus.xml"),
        ])
        #expect(exported.status == 0, "\(exported.stderr)")
        let package = try #require(try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("inbox").path).first)
        let batchTransfer = String(package.dropLast(".y2a.zip".count))
        let config = try BatchFolders.write(in: work, organisation: "N07", store: hub)
        let run = try Y2ACommand.run(["batch", "--config", config.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")

        // B23's own case, imported by the CLI.
        let imported = try Y2ACommand.run(["import", "--quiet", "--store", hub, "--org", "B23", "--format", "json", Fixtures.sample("valid/contract-example-assetplus.xml")])
        #expect(imported.status == 0, "\(imported.stderr)")
        let caseId = try #require(imported.stdout.firstMatch(of: /stored as case (\d+)/).map { String($0.output.1) }, "\(imported.stdout)")

        let node = try Node(store: hub)
        defer { node.stop() }
        try await node.waitUntilUp()

        var nina = Session()
        try nina.signIn(on: node, name: "nina", password: Self.password)
        let incoming = try nina.get(node, "/transfers")
        #expect(incoming.status == 200)
        #expect(incoming.body.contains(batchTransfer) && incoming.body.contains("Accepted"), "\(incoming.body.prefix(2000))")
        let link = try #require(incoming.body.firstMatch(of: /href="(\/cases\/\d+)"/).map { String($0.output.1) })
        #expect(try nina.get(node, link).status == 200)

        // B23's administrator sends its case to N07 in the browser.
        var bob = Session()
        try bob.signIn(on: node, name: "bob", password: Self.password)
        let form = try bob.get(node, "/cases/\(caseId)/transfer?kind=YouthToAdult&to=N07")
        #expect(form.status == 200, "\(form.body.prefix(500))")
        let sent = try bob.post(node, "/cases/\(caseId)/transfer", ["kind": "YouthToAdult", "to": "N07", "contactName": "Pat Contactperson", "do": "send"])
        #expect(sent.status == 303, "\(sent.body.prefix(1000))")
        let browserTransfer = String(try #require(sent.location?.split(separator: "/").last))

        let status = try Y2ACommand.run(["transfer", "status", "--store", hub, "--format", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]], "\(status.stdout)")
        let row = try #require(rows.first { $0["transferId"] as? String == browserTransfer }, "\(status.stdout)")
        #expect(row["status"] as? String == "accepted" && row["recipientCode"] as? String == "N07")
        let history = try Y2ACommand.run(["transfer", "status", "--store", hub, browserTransfer])
        #expect(history.status == 0 && history.stdout.contains("delivered to N07 on this hub"), "\(history.stdout)")
    }
}
