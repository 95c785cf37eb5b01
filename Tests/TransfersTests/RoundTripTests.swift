import CaseRecord
import CaseStore
import Crypto
import Foundation
import Gateway
import TestSupport
import Testing
import Transfers

@Suite("Round trip: export → send → import → receipt")
struct RoundTripTests {
    @Test(arguments: [
        ("assetplus-transfer-to-probation.xml", TransferKind.youthToAdult, Framework.assetPlus),
        ("assetplus-transfer-yot-to-yot.xml", .yotToYot, .assetPlus),
        ("asset-transfer-to-adult.xml", .youthToAdult, .asset),
        ("asset-yot-transfer.xml", .yotToYot, .asset),
    ], TestStores.engines)
    func roundTrip(example: (sample: String, kind: TransferKind, format: Framework), engine: StoreKind) async throws {
        let (sample, kind, format) = example
        let exchange = try await Exchange.on(engine)
        let built = try exchange.build(sample, kind: kind, attachments: [.init(name: "plan.pdf", bytes: Data("%PDF-1.4 synthetic".utf8))])
        #expect(built.manifest.format == format)
        #expect(built.manifest.files.contains { $0.role == .noco } == (kind == .youthToAdult))

        // Layout: manifest.xml first, then the assessment, NOCO.xml, attachments.
        let contents = try PackageReader().read(built.package)
        var expected = ["manifest.xml", format.fileName]
        if kind == .youthToAdult { expected.append("NOCO.xml") }
        expected.append("attachments/plan.pdf")
        #expect(contents.names == expected)
        #expect(contents.files[format.fileName] == (try Fixtures.sample(sample)))

        // Export writes the package and records it as awaiting; send delivers it.
        let outbox = exchange.folder.appendingPathComponent("outbox")
        let inbox = exchange.folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let packageURL = outbox.appendingPathComponent(built.manifest.packageFileName)
        try Gateway.AtomicFile.write(built.package, to: packageURL)
        try await exchange.ledger.recordExport(built.manifest, documentId: built.record.source.documentId, packageSha256: built.packageSha256)
        #expect(try await exchange.sender.transfer(built.manifest.transferId)?.status == "awaiting")
        let sent = try await exchange.ledger.send(packageURL, toFolder: inbox, schemas: Fixtures.schemas)
        #expect(sent.status == "transferred")
        let delivered = inbox.appendingPathComponent(built.manifest.packageFileName)
        #expect(try Data(contentsOf: delivered) == built.package)
        #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path) == [built.manifest.packageFileName])

        // The receiver accepts it and stores the case.
        let outcome = try await exchange.importer().importPackage(at: delivered, now: Fixtures.fixedNow)
        #expect(outcome.receipt.decision == .accepted)
        #expect(outcome.receipt.reasons.isEmpty)
        #expect(outcome.receipt.transferId == built.manifest.transferId)
        let caseId = try #require(outcome.caseId)
        #expect(try await exchange.receiver.caseRecord(id: caseId)?.record.source.format == format)
        // The package's NOCO.xml and attachments are kept with the case, byte for byte.
        let kept = try await exchange.receiver.caseDocuments(caseId: caseId)
        #expect(kept.map(\.fileName) == built.manifest.files.map(\.checksum.path))
        #expect(kept.contains { $0.isNOCO } == (kind == .youthToAdult))
        for document in kept {
            #expect(try await exchange.receiver.caseDocumentBytes(caseId: caseId, documentId: document.id)?.bytes == contents.files[document.fileName])
        }

        // The sender applies the receipt.
        let (receipt, row) = try await exchange.ledger.apply(receipt: outcome.receiptXML, name: "receipt.xml", schemas: Fixtures.schemas)
        #expect(receipt.decision == .accepted)
        #expect(row.status == "accepted")
        let history = try await exchange.sender.transferHistory(built.manifest.transferId).map(\.toStatus)
        #expect(history == ["awaiting", "transferred", "accepted"])
    }

    @Test func signedPackageVerifiesWithTheTrustStore() async throws {
        let exchange = Exchange()
        let key = Curve25519.Signing.PrivateKey()
        let built = try exchange.build("assetplus-transfer-yot-to-yot.xml", kind: .yotToYot, key: key)
        #expect(try PackageReader().read(built.package).names.prefix(2) == ["manifest.xml", "manifest.sig"])
        let trust = exchange.folder.appendingPathComponent("trust")
        try FileManager.default.createDirectory(at: trust, withIntermediateDirectories: true)
        try Data(key.publicKey.rawRepresentation.base64EncodedString().utf8).write(to: trust.appendingPathComponent("K07.pub"))
        let outcome = try await exchange.receive(built.package, trust: trust, requireSignature: true)
        #expect(outcome.receipt.decision == .accepted)
    }

    @Test func keygenKeysSignAndVerify() async throws {
        let exchange = Exchange()
        let keys = SigningKeys.generate()
        let key = try SigningKeys.privateKey(from: keys.privateKey)
        let built = try exchange.build("asset-yot-transfer.xml", kind: .yotToYot, key: key)
        let trust = exchange.folder.appendingPathComponent("trust")
        try FileManager.default.createDirectory(at: trust, withIntermediateDirectories: true)
        try keys.publicKey.write(to: trust.appendingPathComponent("D12.pub"))
        #expect(try await exchange.receive(built.package, trust: trust, requireSignature: true).receipt.decision == .accepted)
    }

    @Test(arguments: TestStores.engines)
    func theSameReceiptForTheSamePackageAndNothingStoredTwice(engine: StoreKind) async throws {
        let exchange = try await Exchange.on(engine)
        let built = try exchange.build("assetplus-transfer-yot-to-yot.xml", kind: .yotToYot)
        let name = built.manifest.packageFileName
        let first = try await exchange.receive(built.package, name: name)
        let later = try await exchange.importer().importPackage(built.package, fileName: name, now: Fixtures.fixedNow.addingTimeInterval(3600))
        #expect(first.repeated == false)
        #expect(later.repeated)
        #expect(later.receiptXML == first.receiptXML)
        #expect(later.caseId == first.caseId)
        #expect(try await exchange.receiver.counts().cases == 1)
        #expect(try await exchange.receiver.receivedPackages().count == 1)
        // The decision keeps who sent it, the kind and the person id, from the manifest.
        let decision = try #require(try await exchange.receiver.receivedPackages(receiver: built.manifest.recipient.code).first)
        #expect(decision.senderCode == built.manifest.sender.code && decision.kind == "YotToYot" && decision.personRef == built.manifest.personId)
        #expect(try await exchange.receiver.receivedPackages(receiver: built.manifest.recipient.code, transferId: built.manifest.transferId).count == 1)
        #expect(try await exchange.receiver.receivedPackages(receiver: "ZZZ").isEmpty)
    }

    @Test(arguments: TestStores.engines)
    func aRejectedPackageAgainGetsTheSameRejection(engine: StoreKind) async throws {
        let exchange = try await Exchange.on(engine)
        let built = try exchange.build("assetplus-transfer-yot-to-yot.xml", kind: .yotToYot, to: "N08")
        let first = try await exchange.receive(built.package, name: built.manifest.packageFileName)
        let later = try await exchange.receive(built.package, name: built.manifest.packageFileName)
        #expect(first.receipt.reasons.map(\.code) == [.wrongRecipient])
        #expect(later.repeated && later.receiptXML == first.receiptXML)
    }

    @Test func youthToAdultExportWithoutANOCOGeneratorFailsClearly() async throws {
        let exchange = Exchange()
        #expect(throws: PackageBuilder.Failure.self) {
            try exchange.builder(noco: nil).build(.init(
                assessment: try Fixtures.sample("assetplus-transfer-to-probation.xml"), assessmentName: "a",
                kind: .youthToAdult, recipient: .init(code: "N07", name: "PDU")))
        }
        do {
            _ = try exchange.builder(noco: nil).build(.init(
                assessment: try Fixtures.sample("assetplus-transfer-to-probation.xml"), assessmentName: "a",
                kind: .youthToAdult, recipient: .init(code: "N07", name: "PDU")))
        } catch let failure as PackageBuilder.Failure {
            #expect(failure.message.contains("NOCO generator unavailable"))
        }
    }
}

