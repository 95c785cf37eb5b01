import CaseRecord
import Foundation
import Testing
import Transfers

@Suite("manifest.xml and receipt.xml: writers and readers")
struct ManifestXMLTests {
    let reader = TransferDocumentReader(schema: Fixtures.schemas.transfer)

    func manifest() -> TransferManifest {
        TransferManifest(
            transferId: "8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33", kind: .youthToAdult, createdAt: "2016-05-02T10:00:00Z",
            sender: .init(code: "B23", name: "Northtown YOT & <Partners> \"East\" 'West'"),
            recipient: .init(code: "N07", name: "Line one\nline two\ttabbed  spaced"),
            personId: "CV-000123", pnc: "15/1234567X", format: .assetPlus,
            assessment: .init(path: "AssetPlus.XML", sha256: String(repeating: "0f", count: 32), size: 5121),
            files: [
                .init(checksum: .init(path: "NOCO.xml", sha256: String(repeating: "a1", count: 32), size: 2310), role: .noco, mediaType: "application/xml"),
                .init(checksum: .init(path: "attachments/R&D \"plan\".pdf", sha256: String(repeating: "00", count: 32), size: 48211), role: .attachment, mediaType: "application/pdf"),
            ])
    }

    @Test func writtenManifestIsValidAndReadsBackTheSame() async throws {
        let original = manifest()
        let read = try TransferManifest.read(original.xmlData(), reader: reader)
        #expect(read == original)
    }

    @Test func elementsAreInTheContractsOrder() async throws {
        let xml = String(decoding: manifest().xmlData(), as: UTF8.self)
        let order = ["<TransferId>", "<Kind>", "<CreatedAt>", "<Sender ", "<Recipient ", "<Subject ", "<Assessment ", "<File "]
        let positions = order.map { xml.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(xml.contains("xmlns=\"urn:y2a:transfer:1\" version=\"1\""))
    }

    @Test func theContractExampleReads() async throws {
        let example = """
            <?xml version="1.0" encoding="UTF-8"?>
            <TransferManifest xmlns="urn:y2a:transfer:1" version="1">
              <TransferId>8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33</TransferId>
              <Kind>YouthToAdult</Kind>
              <CreatedAt>2016-05-02T10:00:00Z</CreatedAt>
              <Sender code="B23">Northtown YOT</Sender>
              <Recipient code="N07">Northtown Probation Delivery Unit</Recipient>
              <Subject personId="CV-000123" pnc="15/1234567X"/>
              <Assessment path="AssetPlus.XML" format="AssetPlus" sha256="0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" size="5121"/>
              <File path="NOCO.xml" role="Noco" sha256="a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90" size="2310" mediaType="application/xml"/>
              <File path="attachments/psr.pdf" role="Attachment" sha256="00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" size="48211" mediaType="application/pdf"/>
            </TransferManifest>
            """
        let read = try TransferManifest.read(Data(example.utf8), reader: reader)
        #expect(read.kind == .youthToAdult && read.files.count == 2 && read.pnc == "15/1234567X")
    }

    @Test func codeChecksTheXSDCannotExpress() async throws {
        var wrongPath = manifest()
        wrongPath.assessment.path = "Asset.XML"
        #expect(throws: TransferDocumentError.self) { try TransferManifest.read(wrongPath.xmlData(), reader: reader) }

        var nocoElsewhere = manifest()
        nocoElsewhere.files[0].checksum.path = "attachments/NOCO.xml"
        #expect(throws: TransferDocumentError.self) { try TransferManifest.read(nocoElsewhere.xmlData(), reader: reader) }

        var attachmentAsNoco = manifest()
        attachmentAsNoco.files[1].role = .noco
        #expect(throws: TransferDocumentError.self) { try TransferManifest.read(attachmentAsNoco.xmlData(), reader: reader) }

        var noNoco = manifest()
        noNoco.files.removeFirst()
        #expect(throws: TransferDocumentError.self) { try TransferManifest.read(noNoco.xmlData(), reader: reader) }
        noNoco.kind = .yotToYot
        #expect(try TransferManifest.read(noNoco.xmlData(), reader: reader).files.count == 1)
    }

    @Test func receiptRoundTripAndTheContractExample() async throws {
        let receipt = TransferReceipt(
            transferId: "8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33", decision: .rejected, decidedAt: "2016-05-03T09:12:00+01:00",
            decidedBy: .init(code: "N07", name: "Northtown Probation Delivery Unit"),
            reasons: [Reason(.wrongStage, "The assessment's stage is Review; a youth-to-adult transfer needs a TransferToProbation stage."),
                      Reason(.checksumMismatch, "A & B < C > D\r\n")])
        #expect(try TransferReceipt.read(receipt.xmlData(), reader: reader) == receipt)
    }

    @Test func aReceiptIsNotAManifest() async throws {
        let receipt = TransferReceipt(transferId: "8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33", decision: .accepted, decidedAt: "2016-05-03T09:12:00Z", decidedBy: .init(code: "N07", name: "PDU"), reasons: [])
        #expect(throws: TransferDocumentError.self) { try TransferManifest.read(receipt.xmlData(), reader: reader) }
        #expect(throws: TransferDocumentError.self) { try TransferReceipt.read(manifest().xmlData(), reader: reader) }
    }

    @Test func receiptWithADoctypeIsRefused() async throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE TransferReceipt>
            <TransferReceipt xmlns="urn:y2a:transfer:1" version="1"><TransferId>8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33</TransferId><Decision>Accepted</Decision><DecidedAt>2016-05-03T09:12:00Z</DecidedAt><DecidedBy code="N07">PDU</DecidedBy></TransferReceipt>
            """
        #expect(throws: TransferDocumentError.self) { try TransferReceipt.read(Data(xml.utf8), reader: reader) }
    }
}
