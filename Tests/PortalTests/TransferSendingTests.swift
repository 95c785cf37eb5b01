import Access
import CaseStore
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import NOCO
@testable import Portal
import TestSupport
import Testing
import Transfers

/// Sending a transfer from the browser: B23's administrator prepares a case, completes the
/// NOCO's gaps and sends it; N07 on the same hub decides by the importer; the receipt moves the
/// sender's ledger. A recipient elsewhere gets the package in the drop folder.
@Suite("Sending transfers in the browser")
struct TransferSendingTests {
    /// The contract's AssetPlus example (B23, TransferToProbation) without its YOGRS and
    /// likelihood of reoffending: two gaps to complete.
    static func gappyAssessment() throws -> Data {
        var text = try String(contentsOfFile: Fixtures.sample("valid/contract-example-assetplus.xml"), encoding: .utf8)
        for element in ["      <YOGRS>38</YOGRS>\n", "      <LikelihoodOfReoffending>High</LikelihoodOfReoffending>\n"] {
            #expect(text.contains(element))
            text = text.replacingOccurrences(of: element, with: "")
        }
        return Data(text.utf8)
    }

    struct Setup {
        let harness: PortalHarness
        let checker = DocumentChecker(schemaDirectory: Fixtures.xsdDirectory.path)
        let shelf: UploadShelf
        let folder: URL
        var transfers: PortalTransfers

        init(engine: StoreKind? = nil, configure: (inout PortalTransfers, URL) throws -> Void = { _, _ in }) async throws {
            harness = try await PortalHarness(samples: false, engine: engine)
            folder = try Fixtures.temporaryDirectory()
            shelf = try UploadShelf(parent: folder)
            transfers = PortalTransfers(outbox: folder.appendingPathComponent("outbox"))
            try configure(&transfers, folder)
        }

        var app: some ApplicationProtocol {
            get throws {
                try PortalServer.application(
                    store: harness.store, access: harness.access, configuration: harness.configuration, checker: checker, uploads: shelf, transfers: transfers)
            }
        }

        /// Stores the gappy assessment as a case of B23, as the upload page would.
        func b23Case() async throws -> Int64 {
            let bytes = try TransferSendingTests.gappyAssessment()
            let record = try #require(try Fixtures.process(String(decoding: bytes, as: UTF8.self), name: "AssetPlus.XML", convert: true).caseRecord)
            guard case .stored(let id, _) = try await harness.store.store(record, sourceXML: bytes, sourceName: "AssetPlus.XML", now: Date(), holders: ["B23"]) else {
                throw PortalError.notFound
            }
            return id
        }
    }

    static let filled = [
        "kind": "YouthToAdult", "to": "N07", "yogrs": "42", "likelihoodOfReoffending": "Medium",
        "contactName": "Pat Contactperson", "contactPhone": "01632 960111",
    ]

    @Test("B23's admin uploads, completes the NOCO gaps, previews and sends to N07 on the hub: N07 accepts, opens the case with its NOCO; B23 sees accepted", arguments: TestStores.engines)
    func journey(engine: StoreKind) async throws {
        let setup = try await Setup(engine: engine)
        let store = setup.harness.store
        let assessment = try Self.gappyAssessment()
        try await setup.app.test(.router) { client in
            var bob = Browser()
            _ = try await bob.signIn(client, "bob")
            let uploaded = String(buffer: try await bob.upload(client, [("AssetPlus.XML", assessment)]).body)
            let token = try #require(uploaded.firstMatch(of: /action="\/uploads\/([A-Za-z0-9_-]+)\/store"/).map { String($0.output.1) })
            let stored = String(buffer: try await bob.post(client, "/uploads/\(token)/store", [:]).body)
            let caseId = try #require(stored.firstMatch(of: /Open case (\d+)/).map { String($0.output.1) })

            // The case page offers the transfer; the form lists the hub's other organisations.
            #expect(String(buffer: try await bob.get(client, "/cases/\(caseId)").body).contains("href=\"/cases/\(caseId)/transfer\""))
            let choose = String(buffer: try await bob.get(client, "/cases/\(caseId)/transfer").body)
            #expect(choose.contains("<option value=\"N07\"") && !choose.contains("<option value=\"B23\"") && !choose.contains("<option value=\"HUB\""))
            #expect(!choose.contains("name=\"yogrs\""))

            // Each gap is a field, with its reason; the receiver actions are beside them.
            let form = String(buffer: try await bob.get(client, "/cases/\(caseId)/transfer?kind=YouthToAdult&to=N07").body)
            #expect(form.contains("name=\"yogrs\"") && form.contains("name=\"likelihoodOfReoffending\"") && !form.contains("name=\"mappaLevel\""))
            #expect(form.contains("the assessment has no YOGRS score") && form.contains("Complete RSR and CAS outside the portal"))
            #expect(form.contains("name=\"csrf\" value=\"\(try #require(bob.csrf))\""))

            // A value outside the contract is refused with plain words, and shown back escaped.
            var wrong = Self.filled
            wrong["yogrs"] = "<b>140</b>"
            wrong["do"] = "send"
            let refused = try await bob.post(client, "/cases/\(caseId)/transfer", wrong)
            #expect(refused.status == .badRequest)
            let refusedBody = String(buffer: refused.body)
            #expect(refusedBody.contains("YOGRS must be a whole number from 0 to 100.") && refusedBody.contains("&lt;b&gt;140&lt;/b&gt;") && !refusedBody.contains("<b>140"))
            #expect(try await store.transfers().isEmpty)

            var check = Self.filled
            check["do"] = "check"
            let checked = String(buffer: try await bob.post(client, "/cases/\(caseId)/transfer", check).body)
            #expect(checked.contains("Every value fits the NOCO contract."))

            // The preview is NOCO.html with the values in it.
            let preview = String(buffer: try await bob.post(client, "/cases/\(caseId)/transfer/preview", Self.filled).body)
            #expect(preview.contains("Pat Contactperson") && preview.contains("42") && !preview.contains("class=\"brand\""))

            var send = Self.filled
            send["do"] = "send"
            let sent = try await bob.post(client, "/cases/\(caseId)/transfer", send)
            #expect(sent.status == .seeOther)
            let location = try #require(sent.headers[.location])
            let transferId = String(location.dropFirst("/transfers/".count))

            // The ledger (what `y2a transfer status` prints) moved awaiting → transferred → accepted.
            let row = try #require(try await store.transfer(transferId))
            #expect(row.status == "accepted" && row.senderCode == "B23" && row.recipientCode == "N07" && row.kind == "YouthToAdult")
            #expect(try await store.transfers().map(\.transferId) == [transferId])
            #expect(try await store.transferHistory(transferId).map(\.toStatus) == ["awaiting", "transferred", "accepted"])
            #expect(FileManager.default.fileExists(atPath: setup.folder.appendingPathComponent("outbox/\(transferId).y2a.zip").path))
            let page = String(buffer: try await bob.get(client, location).body)
            #expect(page.contains("Accepted") && !page.contains("Re-send as a new package"))

            // N07 holds the case, with the source exactly as uploaded and the NOCO as completed.
            let decision = try #require(try await store.receivedPackages(receiver: "N07", transferId: transferId).first)
            #expect(decision.decision == "Accepted")
            let n07Case = try #require(decision.caseId)
            #expect(try await store.sourceDocument(caseId: n07Case, scope: OrganisationScope(["N07"]))?.bytes == assessment)
            let nocoFile = try #require(try await store.caseDocuments(caseId: n07Case).first(where: \.isNOCO))
            let noco = try #require(try await store.caseDocumentBytes(caseId: n07Case, documentId: nocoFile.id)).bytes
            let nocoText = String(decoding: noco, as: UTF8.self)
            #expect(nocoText.contains("<YOGRS>42</YOGRS>") && nocoText.contains("<LikelihoodOfReoffending>Medium</LikelihoodOfReoffending>"))
            #expect(nocoText.contains("<Name>Pat Contactperson</Name>") && !nocoText.contains("<Gap"))
            let schemas = try setup.checker.catalog()
            #expect(try schemas.findings(forGenerated: [UInt8](noco), name: "NOCO.xml", schema: schemas.noco).isEmpty)

            // N07's practitioner sees the package accepted and opens the case with its NOCO.
            var nina = Browser()
            _ = try await nina.signIn(client, "nina")
            let incoming = String(buffer: try await nina.get(client, "/transfers").body)
            #expect(incoming.contains(transferId) && incoming.contains("Accepted") && incoming.contains("href=\"/cases/\(n07Case)\""))
            let opened = String(buffer: try await nina.get(client, "/cases/\(n07Case)").body)
            #expect(opened.contains("NOCO") && opened.contains("Complete RSR and CAS outside the portal"))
            #expect(!opened.contains("Prepare a transfer"))
        }
        // The trail says who did what, names the fields completed and never a value.
        let events = try await store.auditEvents(.init())
        let prepared = events.filter { $0.action == "transfer-prepare" && $0.outcome == "ok" }
        #expect(prepared.contains { $0.detail == "fields completed: LikelihoodOfReoffending, YOGRS, Contact" })
        #expect(events.contains { $0.action == "transfer-send" && $0.actor == "bob" && $0.detail?.contains("YouthToAdult to N07") == true })
        #expect(events.contains { $0.action == "transfer-receive" && $0.organisationCode == "N07" && $0.detail == "Accepted" })
        for event in events {
            for value in ["Pat Contactperson", "01632 960111"] {
                #expect(!(event.detail ?? "").contains(value), "\(event.action): \(event.detail ?? "")")
            }
        }
    }

    @Test("a package N07's importer rejects (no signature, one required) shows rejected with the reason; re-sent signed as a new package it is accepted, the first kept", arguments: TestStores.engines)
    func rejectedAndResent(engine: StoreKind) async throws {
        let setup = try await Setup(engine: engine) { transfers, folder in
            let keys = folder.appendingPathComponent("keys")
            try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
            transfers.keys = keys
            transfers.requireSignature = true
        }
        let store = setup.harness.store
        let caseId = try await setup.b23Case()
        try await setup.app.test(.router) { client in
            var bob = Browser()
            _ = try await bob.signIn(client, "bob")
            _ = try await bob.get(client, "/cases/\(caseId)/transfer?kind=YouthToAdult&to=N07")
            var send = Self.filled
            send["do"] = "send"
            let first = try await bob.post(client, "/cases/\(caseId)/transfer", send)
            let firstId = String(try #require(first.headers[.location]).dropFirst("/transfers/".count))
            let rejected = try #require(try await store.transfer(firstId))
            #expect(rejected.status == "rejected" && rejected.reason?.contains("BAD_SIGNATURE") == true)
            let page = String(buffer: try await bob.get(client, "/transfers/\(firstId)").body)
            #expect(page.contains("Rejected") && page.contains("BAD_SIGNATURE") && page.contains("Re-send as a new package"))

            // B23 gets a key; the hub trusts it.
            let (privateKey, publicKey) = SigningKeys.generate()
            let keys = try #require(setup.transfers.keys)
            try privateKey.write(to: keys.appendingPathComponent("B23.key"))
            try publicKey.write(to: keys.appendingPathComponent("B23.pub"))

            let resend = try await bob.post(client, "/transfers/\(firstId)/resend", [:])
            #expect(resend.status == .seeOther)
            let prepare = try #require(resend.headers[.location])
            #expect(prepare.hasPrefix("/cases/\(caseId)/transfer?") && prepare.contains("resends=\(firstId)"))
            let form = String(buffer: try await bob.get(client, prepare).body)
            #expect(form.contains("Re-sending rejected transfer") && form.contains("name=\"resends\" value=\"\(firstId)\""))
            send["resends"] = firstId
            let second = try await bob.post(client, "/cases/\(caseId)/transfer", send)
            let secondId = String(try #require(second.headers[.location]).dropFirst("/transfers/".count))
            #expect(secondId != firstId)
            #expect(try await store.transfer(secondId)?.status == "accepted")
            // The first keeps its status, reason and history, with a note of the re-send.
            let kept = try #require(try await store.transfer(firstId))
            #expect(kept.status == "rejected" && kept.reason?.contains("BAD_SIGNATURE") == true)
            #expect(try await store.transferHistory(firstId).contains { $0.detail == "re-sent as a new package, transfer \(secondId)" })
            #expect(try await store.transferHistory(secondId).contains { $0.detail == "re-send of rejected transfer \(firstId)" })
            // An accepted transfer is not re-sent.
            #expect(try await bob.post(client, "/transfers/\(secondId)/resend", [:]).status == .conflict)
        }
        #expect(try await store.auditEvents(.init()).contains { $0.action == "transfer-resend" && $0.outcome == "ok" })
        #expect(try await store.auditEvents(.init()).contains { $0.action == "transfer-send" && $0.detail?.contains("signed") == true && $0.detail?.contains("unsigned") == false })
    }

    @Test("a recipient not on the hub gets the package in the drop folder (transferred); a drop folder that is not there leaves it awaiting with the error shown")
    func dropFolder() async throws {
        for present in [true, false] {
            let setup = try await Setup { transfers, folder in
                let drop = folder.appendingPathComponent("drop")
                if present { try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true) }
                transfers.dropFolder = drop
            }
            let store = setup.harness.store
            let caseId = try await setup.b23Case()
            try await setup.app.test(.router) { client in
                var bob = Browser()
                _ = try await bob.signIn(client, "bob")
                let form = String(buffer: try await bob.get(client, "/cases/\(caseId)/transfer?kind=YouthToAdult&to=elsewhere").body)
                #expect(form.contains("name=\"toCode\""))
                var send = Self.filled
                send["to"] = "elsewhere"
                send["toCode"] = "C41"
                send["toName"] = "Eastvale PDU"
                send["do"] = "send"
                let sent = try await bob.post(client, "/cases/\(caseId)/transfer", send)
                let location = try #require(sent.headers[.location])
                let id = String(location.dropFirst("/transfers/".count))
                let row = try #require(try await store.transfer(id))
                let delivered = setup.folder.appendingPathComponent("drop/\(id).y2a.zip")
                if present {
                    #expect(row.status == "transferred" && row.recipientCode == "C41")
                    #expect(FileManager.default.fileExists(atPath: delivered.path))
                } else {
                    #expect(row.status == "awaiting" && row.reason?.contains("delivery failed") == true)
                    #expect(String(buffer: try await bob.get(client, location).body).contains("Not delivered: delivery failed"))
                }
                // Nothing was decided on this hub.
                #expect(try await store.receivedPackages().isEmpty)
            }
        }
    }

    @Test("only an administrator of the case's organisation prepares, previews, sends or re-sends; the form needs its token")
    func roles() async throws {
        let setup = try await Setup()
        let caseId = try await setup.b23Case()
        let bramwell = "bramwell"
        _ = try await setup.harness.access.addUser(
            by: .commandLine(organisation: "B23"), name: bramwell, organisation: "B23", roles: [.practitioner], password: PortalHarness.password)
        try await setup.app.test(.router) { client in
            var practitioner = Browser()
            _ = try await practitioner.signIn(client, bramwell)
            // A practitioner reads the case but is offered no transfer, and is refused one.
            #expect(!String(buffer: try await practitioner.get(client, "/cases/\(caseId)").body).contains("Prepare a transfer"))
            #expect(try await practitioner.get(client, "/cases/\(caseId)/transfer").status == .forbidden)
            var send = Self.filled
            send["do"] = "send"
            #expect(try await practitioner.post(client, "/cases/\(caseId)/transfer", send).status == .forbidden)
            #expect(try await practitioner.post(client, "/cases/\(caseId)/transfer/preview", Self.filled).status == .forbidden)
            // Another organisation's administrator: not found.
            var alice = Browser()
            _ = try await alice.signIn(client, "alice")
            #expect(try await alice.get(client, "/cases/\(caseId)/transfer").status == .notFound)
            #expect(try await alice.post(client, "/cases/\(caseId)/transfer", send).status == .notFound)
            // The administrator with a wrong token: refused by the front door.
            var bob = Browser()
            _ = try await bob.signIn(client, "bob")
            #expect(try await bob.post(client, "/cases/\(caseId)/transfer", send, csrf: "forged").status == .forbidden)
        }
        #expect(try await setup.harness.store.transfers().isEmpty)
    }
}
