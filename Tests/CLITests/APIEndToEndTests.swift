import CaseStore
import Foundation
import TestSupport
import Testing

/// Issue 18's end-to-end test: a YOT's case management system (B23's token) and a probation
/// system (N07's token) talk to one real `y2a serve` over HTTP, as their integrators would with
/// curl. The CMS checks its export and builds the package (`y2a transfer export` on the hub's
/// store, so the hub's ledger follows it); the probation system delivers the package to the hub,
/// pulls what arrived and the case; the CMS hands in the receipt and reads the status.
@Suite("HTTP API end to end", .serialized)
struct APIEndToEndTests {
    static func json(_ response: HTTP.Response) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(response.body.utf8))) as? [String: Any]) ?? [:]
    }

    /// One API call through curl, as an integrator would make it.
    static func api(_ method: String, _ url: String, token: String?, type: String? = nil, file: URL? = nil, headers: [String: String] = [:]) throws -> HTTP.Response {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        if let type { all["Content-Type"] = type }
        return try HTTP.request(method, url, headers: all, file: file)
    }

    @Test("a sending CMS and a receiving probation system against one y2a serve over real HTTP", arguments: TestStores.engines)
    func sendAndReceive(engine: StoreKind) async throws {
        let hub = try TestStores.freshAddress(engine).description
        var tokens: [String: String] = [:]
        for (code, name, kind, feed) in [("N07", "Northtown PDU", "probation", "nDelius feed"), ("B23", "Northtown YOT", "yot", "ChildView")] {
            #expect(try Y2ACommand.run(["orgs", "add", "--store", hub, "--code", code, "--name", name, "--kind", kind]).status == 0)
            let made = try Y2ACommand.run(["tokens", "add", "--store", hub, "--org", code, "--name", feed])
            #expect(made.status == 0, "\(made.stderr)")
            tokens[code] = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let cms = try #require(tokens["B23"]), probation = try #require(tokens["N07"])
        let node = try Node(store: hub)
        defer { node.stop() }
        try await node.waitUntilUp()
        let api = node.base + "/api/v1"
        let assessment = URL(fileURLWithPath: Fixtures.sample("valid/contract-example-assetplus.xml"))

        // The CMS checks its export, then builds the package (recorded on the hub as awaiting).
        let checked = try Self.api("POST", api + "/validate", token: cms, type: "application/xml", file: assessment, headers: ["X-Document-Name": "AssetPlus.XML"])
        #expect(checked.status == 200 && (Self.json(checked)["summary"] as? [String: Any])?["valid"] as? Int == 1, "\(checked.body)")
        #expect(checked.header("x-request-id") != nil)
        let outbox = try Fixtures.temporaryDirectory()
        let exported = try Y2ACommand.run(["transfer", "export", "--store", hub, "--kind", "YouthToAdult", "--to", "N07", "--to-name", "Northtown PDU", "--out", outbox.path, assessment.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let packageName = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox.path).first)
        let transferId = String(packageName.dropLast(".y2a.zip".count))
        let outgoing = try Self.api("GET", api + "/transfers?direction=outgoing", token: cms)
        #expect((Self.json(outgoing)["transfers"] as? [[String: Any]])?.first?["status"] as? String == "awaiting")

        // The CMS delivers it over its own channel to the probation system's folder (transferred).
        let package = outbox.appendingPathComponent(packageName)
        let exchange = try Fixtures.temporaryDirectory()
        let sent = try Y2ACommand.run(["transfer", "send", "--store", hub, "--to-folder", exchange.path, package.path])
        #expect(sent.status == 0, "\(sent.stderr)")

        // The probation system hands it to the hub: the receipt comes back; again, the same receipt.
        let decided = try Self.api("POST", api + "/packages", token: probation, type: "application/zip", file: package, headers: ["Idempotency-Key": "pkg-\(transferId)"])
        #expect(decided.status == 200 && decided.header("content-type") == "application/xml")
        let receiptText = decided.body
        #expect(receiptText.contains("<Decision>Accepted</Decision>") && receiptText.contains(transferId), "\(receiptText)")
        let again = try Self.api("POST", api + "/packages", token: probation, type: "application/zip", file: package)
        #expect(again.body == decided.body)

        // It pulls what arrived, and the case.
        let incoming = try Self.api("GET", api + "/packages/incoming", token: probation)
        let arrived = try #require((Self.json(incoming)["packages"] as? [[String: Any]])?.first { $0["transferId"] as? String == transferId })
        let caseId = try #require(arrived["caseId"] as? Int)
        let record = try Self.api("GET", api + "/cases/\(caseId)", token: probation)
        #expect(record.status == 200 && (Self.json(record)["person"] as? [String: Any]) != nil)
        // The CMS may not read what N07's system reads unless it is a party: the package is not its.
        #expect(try Self.api("GET", api + "/packages/\(arrived["id"] as? String ?? "")", token: cms).status == 404)

        // The CMS hands in the receipt it was given; the hub's ledger says accepted, with its history.
        let receipt = try Fixtures.temporaryDirectory().appendingPathComponent("receipt.xml")
        try Data(decided.body.utf8).write(to: receipt)
        let applied = try Self.api("POST", api + "/receipts", token: cms, type: "application/xml", file: receipt)
        #expect(applied.status == 200 && Self.json(applied)["status"] as? String == "accepted", "\(applied.body)")
        let history = try Self.api("GET", api + "/transfers/\(transferId)", token: cms)
        #expect((Self.json(history)["history"] as? [[String: Any]])?.compactMap { $0["toStatus"] as? String } == ["awaiting", "transferred", "accepted"])
        // The same as `y2a transfer status` on the store.
        let status = try Y2ACommand.run(["transfer", "status", "--store", hub, "--format", "json"])
        #expect(status.stdout.contains("\"accepted\""))

        // Every call is in the audit trail under the token's name and organisation.
        let audit = try Y2ACommand.run(["audit", "--store", hub, "--format", "json"])
        let events = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]])
        let calls = events.filter { $0["action"] as? String == "api-call" }
        #expect(calls.contains { $0["actor"] as? String == "token:ChildView" && $0["organisationCode"] as? String == "B23" })
        #expect(calls.contains { $0["actor"] as? String == "token:nDelius feed" && $0["organisationCode"] as? String == "N07" && $0["transferId"] as? String == transferId })
        #expect(calls.count == 9)
    }
}
