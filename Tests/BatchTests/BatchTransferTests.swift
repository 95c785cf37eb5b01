import Batch
import CaseRecord
import CaseStore
import Foundation
import Gateway
import TestSupport
import Testing
import Transfers

@Suite("y2a batch: packages and receipts")
struct BatchTransferTests {
    static let now = Date(timeIntervalSince1970: 1_473_868_800)

    func build(_ sample: String = "valid/assetplus-transfer-yot-to-yot.xml", to code: String) throws -> PackageBuilder.Built {
        let processor = DocumentProcessor(schemas: Fixtures.schemas)
        return try PackageBuilder(schemas: Fixtures.schemas, processor: processor, noco: nil).build(.init(
            assessment: Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(sample))), assessmentName: "AssetPlus.XML",
            kind: .yotToYot, recipient: Organisation(code: code, name: "Receiving service"), now: Self.now))
    }

    /// A transfer we sent (recorded, delivered), waiting for its receipt.
    func sent(_ store: CaseStore) async throws -> String {
        let built = try build(to: "K07")
        let ledger = TransferLedger(store: store)
        try await ledger.recordExport(built.manifest, documentId: built.record.source.documentId, packageSha256: built.packageSha256)
        _ = try await ledger.move(built.manifest.transferId, to: .transferred, detail: nil)
        return built.manifest.transferId
    }

    func receipt(_ id: String, _ decision: Decision = .accepted, by code: String = "K07") -> Data {
        TransferReceipt(transferId: id, decision: decision, decidedAt: "2016-09-15T09:00:00Z", decidedBy: .init(code: code, name: "K"),
                        reasons: decision == .rejected ? [Reason(.wrongStage, "The stage is Review.")] : []).xmlData()
    }

    @Test("packages for us are answered Accepted, for someone else Rejected; receipts update their transfer")
    func mixed() async throws {
        let space = try Workspace()
        let store = try space.store()
        let ours = try build(to: "N07")
        let theirs = try build(to: "K99")
        try space.drop(bytes: ours.package, as: "\(ours.manifest.transferId).y2a.zip")
        try space.drop(bytes: theirs.package, as: "\(theirs.manifest.transferId).y2a.zip")
        try space.drop(bytes: Data("not a zip".utf8), as: "broken.y2a.zip")
        let sentId = try await sent(store)
        try space.drop(bytes: receipt(sentId), as: "\(sentId).receipt.xml")
        let unknown = TransferClock.newTransferId()
        try space.drop(bytes: receipt(unknown), as: "\(unknown).receipt.xml")
        try space.drop("valid/asset-bail-asset.xml")

        let report = try await space.runner().run(now: Self.now)
        #expect(report.counts == ["stored": 1, "accepted": 1, "rejected": 2, "applied": 1, "quarantined": 1], "\(report.files)")
        #expect(report.exitStatus == BatchRunReport.ExitCode.quarantined)
        #expect(space.names("inbox").isEmpty)
        #expect(space.names("outbox") == ["\(ours.manifest.transferId).receipt.xml", "\(theirs.manifest.transferId).receipt.xml"].sorted())
        let answer = try TransferReceipt.read(Data(contentsOf: space.folder("outbox").appendingPathComponent("\(theirs.manifest.transferId).receipt.xml")), reader: TransferDocumentReader(schema: Fixtures.schemas.transfer))
        #expect(answer.decision == .rejected && answer.reasons.map(\.code) == [.wrongRecipient])
        #expect(Set(space.names("archive")) == ["\(ours.manifest.transferId).y2a.zip", "\(sentId).receipt.xml", "asset-bail-asset.xml"])
        #expect(Set(space.names("quarantine")) == [
            "\(theirs.manifest.transferId).y2a.zip", "\(theirs.manifest.transferId).y2a.zip.findings.json",
            "broken.y2a.zip", "broken.y2a.zip.findings.json", "\(unknown).receipt.xml", "\(unknown).receipt.xml.findings.json",
        ])
        #expect(try store.transfer(sentId)?.status == "accepted")
        #expect(try store.counts().cases == 2)
        let entry = try #require(report.files.first { $0.name.hasPrefix(theirs.manifest.transferId) })
        #expect(entry.codes == ["WRONG_RECIPIENT"] && entry.transferId == theirs.manifest.transferId)
    }

    @Test("killed between the importer's decision and the journal row: the rerun sends the same receipt")
    func packageDecidedBeforeTheJournal() async throws {
        let space = try Workspace()
        let store = try space.store()
        let ours = try build(to: "N07")
        let name = "\(ours.manifest.transferId).y2a.zip"
        try space.drop(bytes: ours.package, as: name)
        // The first run got as far as the importer's transaction, then died.
        let importer = PackageImporter(schemas: Fixtures.schemas, processor: DocumentProcessor(schemas: Fixtures.schemas), store: store, options: .init(receiverCode: "N07"))
        let first = try await importer.importPackage(ours.package, fileName: name, now: Self.now)
        let report = try await space.runner().run(now: Self.now.addingTimeInterval(3600))
        #expect(report.counts == ["accepted": 1])
        #expect(try Data(contentsOf: space.folder("outbox").appendingPathComponent("\(ours.manifest.transferId).receipt.xml")) == first.receiptXML)
        #expect(try store.counts().cases == 1)
    }

    @Test("killed between applying a receipt and the journal row: the rerun archives it, not quarantines it")
    func receiptAppliedBeforeTheJournal() async throws {
        let space = try Workspace()
        let store = try space.store()
        let id = try await sent(store)
        try space.drop(bytes: receipt(id, .rejected), as: "\(id).receipt.xml")
        _ = try await TransferLedger(store: store).apply(receipt: receipt(id, .rejected), name: "r.xml", schemas: Fixtures.schemas)
        let report = try await space.runner().run(now: Self.now)
        #expect(report.counts == ["applied": 1])
        #expect(space.names("archive") == ["\(id).receipt.xml"])
        #expect(try store.transferHistory(id).filter { $0.toStatus == "rejected" }.count == 1)
    }
}
