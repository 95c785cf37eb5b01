import CaseRecord
import Crypto
import Foundation
import Gateway
import Testing
import Transfers
import ZIPFoundation

/// A crafted package for every reason code: each is right in every respect but one.
@Suite("Import: one crafted package per rejection reason")
struct RejectionTests {
    /// Imports and returns the reason codes of the receipt (empty when accepted).
    func codes(_ package: Data, name: String = "\(TransferClock.newTransferId()).y2a.zip", as code: String = "N07",
               trust: URL? = nil, requireSignature: Bool = false, limits: PackageLimits = .contractDefault,
               exchange: Exchange = Exchange()) async throws -> [ReasonCode] {
        let casesBefore = try await exchange.receiver.counts().cases
        let outcome = try await exchange.receive(package, name: name, as: code, trust: trust, requireSignature: requireSignature, limits: limits)
        #expect(outcome.receipt.decision == (outcome.receipt.reasons.isEmpty ? .accepted : .rejected))
        #expect(outcome.caseId == nil || outcome.receipt.reasons.isEmpty)
        if !outcome.receipt.reasons.isEmpty { #expect(try await exchange.receiver.counts().cases == casesBefore) }
        return outcome.receipt.reasons.map(\.code)
    }

    @Test func theCraftedBaseIsAccepted() async throws {
        let package = try CraftedPackage.valid()
        #expect(try await codes(package.zip(), name: package.fileName) == [])
    }

    // MARK: UNREADABLE

    @Test func notAZip() async throws {
        #expect(try await codes(Data("this is not a zip file at all, just text".utf8)) == [.unreadable])
        #expect(try await codes(Data()) == [.unreadable])
    }

    // Issue 13, point 7: a package is exactly one ZIP with nothing around it (contract-notes).

    @Test func bytesAfterTheEndOfTheZip() async throws {
        let zip = try CraftedPackage.valid().zip()
        #expect(try await codes(zip + Data([0])) == [.unreadable])
        #expect(try await codes(zip + Data(repeating: 0x41, count: 4096)) == [.unreadable])
    }

    @Test func bytesBeforeTheZip() async throws {
        let zip = try CraftedPackage.valid().zip()
        #expect(try await codes(Data("#!/bin/sh\n".utf8) + zip) == [.unreadable])
    }

    @Test func twoPackagesJoinedEndToEnd() async throws {
        let first = try CraftedPackage.valid().zip()
        let second = try CraftedPackage.valid("assetplus-transfer-to-probation.xml", kind: .youthToAdult).zip()
        #expect(try await codes(first + second) == [.unreadable])
        #expect(try await codes(second + first) == [.unreadable])
    }

    @Test func nulBytesAfterTheManifest() async throws {
        let package = try CraftedPackage.valid()
        let padded = package.manifest.xmlData() + Data(repeating: 0, count: 64)
        #expect(try await codes(package.zip(manifestXML: padded), name: package.fileName) == [.invalidManifest])
    }

    @Test func truncatedZip() async throws {
        let zip = try CraftedPackage.valid().zip()
        #expect(try await codes(zip.prefix(zip.count / 2)) == [.unreadable])
    }

    @Test func encryptedEntry() async throws {
        var zip = try CraftedPackage.valid().zip()
        let (central, local) = ZipBytes.headers(of: "AssetPlus.XML", in: zip)
        ZipBytes.put16(0x0801, at: central + 8, in: &zip)
        ZipBytes.put16(0x0801, at: local + 6, in: &zip)
        #expect(try await codes(zip) == [.unreadable])
    }

    @Test func unsupportedMethod() async throws {
        var zip = try CraftedPackage.valid().zip()
        let (central, local) = ZipBytes.headers(of: "AssetPlus.XML", in: zip)
        ZipBytes.put16(12, at: central + 10, in: &zip) // bzip2
        ZipBytes.put16(12, at: local + 8, in: &zip)
        #expect(try await codes(zip) == [.unreadable])
    }

    @Test func damagedDeflateData() async throws {
        var zip = try CraftedPackage.valid().zip()
        let (_, local) = ZipBytes.headers(of: "AssetPlus.XML", in: zip)
        let dataStart = local + 30 + "AssetPlus.XML".utf8.count
        for offset in dataStart..<(dataStart + 40) { zip[offset] = 0xFF }
        #expect(try await codes(zip) == [.unreadable])
    }

    @Test func noReceiptWithoutATransferIdAndTheDecisionIsKeptOnce() async throws {
        let exchange = Exchange()
        let garbage = Data("not a zip".utf8)
        for _ in 0..<2 {
            let error = try await #require(throws: UnanswerablePackage.self) {
                try await exchange.receive(garbage, name: "parcel.zip")
            }
            #expect(error.reasons.map(\.code) == [.unreadable])
        }
        #expect(try await exchange.receiver.receivedPackages().count == 1)
        // No manifest, so nobody to name as the sender.
        #expect(try await exchange.receiver.receivedPackages().first?.senderCode == nil)
    }

    @Test func theFileNameGivesTheTransferIdWhenTheManifestCannot() async throws {
        let id = TransferClock.newTransferId()
        let outcome = try await Exchange().receive(Data("not a zip".utf8), name: "\(id).y2a.zip")
        #expect(outcome.receipt.transferId == id)
        #expect(outcome.receipt.reasons.map(\.code) == [.unreadable])
    }

    // MARK: UNSAFE_ENTRY

    @Test(arguments: [
        "../AssetPlus.XML", "attachments/../../etc/passwd", "/etc/passwd", "attachments\\evil.txt",
        "C:/Windows/evil.txt", "attachments/./x", "evil.txt", "attachments/sub/x.pdf",
    ])
    func unsafeName(name: String) async throws {
        var package = try CraftedPackage.valid()
        package.entries.append((name, Data("x".utf8)))
        #expect(try await codes(package.zip()) == [.unsafeEntry])
    }

    @Test func symlinkEntry() async throws {
        let package = try CraftedPackage.valid()
        let archive = try Archive(data: try package.zip(), accessMode: .update)
        let target = Data("/etc/passwd".utf8)
        try archive.addEntry(with: "attachments/link.pdf", type: .symlink, uncompressedSize: Int64(target.count)) { (position: Int64, size: Int) in
            target.subdata(in: Int(position)..<Int(position) + size)
        }
        #expect(try await codes(archive.data!) == [.unsafeEntry])
    }

    @Test func duplicateEntry() async throws {
        var package = try CraftedPackage.valid()
        package.entries.append(package.entries[0])
        #expect(try await codes(package.zip()) == [.unsafeEntry])
    }

    @Test func folderOtherThanAttachments() async throws {
        let archive = try Archive(data: try CraftedPackage.valid().zip(), accessMode: .update)
        try archive.addEntry(with: "docs/", type: .directory, uncompressedSize: 0) { (_: Int64, _: Int) in Data() }
        #expect(try await codes(archive.data!) == [.unsafeEntry])
    }

    @Test func attachmentsFolderIsAllowed() async throws {
        var package = try CraftedPackage.valid(files: [("attachments/plan.pdf", Data("%PDF".utf8))])
        let zip = try package.zip()
        let archive = try Archive(data: zip, accessMode: .update)
        try archive.addEntry(with: "attachments/", type: .directory, uncompressedSize: 0) { (_: Int64, _: Int) in Data() }
        package.entries = []
        #expect(try await codes(archive.data!, name: package.fileName) == [])
    }

    @Test func manifestNotFirst() async throws {
        let package = try CraftedPackage.valid()
        let zip = try ZipBytes.make(package.entries.map { ($0.name, $0.bytes) } + [("manifest.xml", package.manifest.xmlData())])
        #expect(try await codes(zip) == [.unsafeEntry])
    }

    // MARK: TOO_LARGE

    /// A bomb: 8 MiB of zeros whose headers claim 100 bytes. Judged on bytes inflated.
    func bomb() throws -> Data {
        let zeros = Data(count: 8 << 20)
        let package = try CraftedPackage.valid(files: [("attachments/zeros.bin", zeros)])
        var zip = try package.zip()
        let (central, local) = ZipBytes.headers(of: "attachments/zeros.bin", in: zip)
        ZipBytes.put32(100, at: central + 24, in: &zip)
        ZipBytes.put32(100, at: local + 22, in: &zip)
        return zip
    }

    @Test func bombOverTheEntryLimit() async throws {
        let limits = PackageLimits(maxPackageBytes: 1 << 20, maxEntryBytes: 1 << 20, maxTotalBytes: 1 << 30, maxRatio: 1_000_000)
        #expect(try await codes(bomb(), limits: limits) == [.tooLarge])
    }

    @Test func bombOverTheRatioWithTheContractDefaults() async throws {
        #expect(try await codes(bomb()) == [.tooLarge])
    }

    @Test func entriesTogetherOverTheTotal() async throws {
        let blob = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        let package = try CraftedPackage.valid(files: [("attachments/a.bin", blob), ("attachments/b.bin", blob)])
        let limits = PackageLimits(maxPackageBytes: 10 << 20, maxEntryBytes: 10 << 20, maxTotalBytes: 500_000, maxRatio: 100)
        #expect(try await codes(package.zip(), limits: limits) == [.tooLarge])
    }

    @Test func packageOverTheLimitWhenReadFromDisk() async throws {
        let exchange = Exchange()
        let package = try CraftedPackage.valid()
        let url = exchange.folder.appendingPathComponent(package.fileName)
        try package.zip().write(to: url)
        let outcome = try await exchange.importer(limits: PackageLimits(maxPackageBytes: 1000)).importPackage(at: url)
        #expect(outcome.receipt.reasons.map(\.code) == [.tooLarge])
        #expect(outcome.receipt.transferId == package.manifest.transferId)
    }

    // MARK: INVALID_MANIFEST

    @Test func noManifest() async throws {
        #expect(try await codes(CraftedPackage.valid().zip(omitManifest: true)) == [.invalidManifest])
    }

    @Test func manifestWithADoctype() async throws {
        let package = try CraftedPackage.valid()
        let xml = String(decoding: package.manifest.xmlData(), as: UTF8.self)
            .replacingOccurrences(of: "<TransferManifest ", with: "<!DOCTYPE TransferManifest>\n<TransferManifest ")
        #expect(try await codes(package.zip(manifestXML: Data(xml.utf8))) == [.invalidManifest])
    }

    @Test func manifestNotValidAgainstTheXSD() async throws {
        var package = try CraftedPackage.valid()
        package.manifest.recipient.code = "n07"
        #expect(try await codes(package.zip()) == [.invalidManifest])
    }

    @Test func assessmentPathDoesNotMatchFormat() async throws {
        var package = try CraftedPackage.valid()
        package.manifest.assessment.path = "Asset.XML"
        #expect(try await codes(package.zip()) == [.invalidManifest])
    }

    @Test func youthToAdultWithoutNOCO() async throws {
        let package = try CraftedPackage.valid("assetplus-transfer-to-probation.xml", kind: .youthToAdult, personId: "CV-004417", pnc: "15/0082341R")
        #expect(try await codes(package.zip()) == [.invalidManifest])
    }

    @Test func receiptGivenAsManifest() async throws {
        let package = try CraftedPackage.valid()
        let receipt = TransferReceipt(transferId: package.manifest.transferId, decision: .accepted, decidedAt: "2016-09-14T16:00:00Z", decidedBy: .init(code: "N07", name: "PDU"), reasons: [])
        #expect(try await codes(package.zip(manifestXML: receipt.xmlData())) == [.invalidManifest])
    }

    // MARK: BAD_SIGNATURE

    func trustStore(_ exchange: Exchange, key: Curve25519.Signing.PrivateKey) throws -> URL {
        let trust = exchange.folder.appendingPathComponent("trust")
        try FileManager.default.createDirectory(at: trust, withIntermediateDirectories: true)
        try Data(key.publicKey.rawRepresentation.base64EncodedString().utf8).write(to: trust.appendingPathComponent("K07.pub"))
        return trust
    }

    @Test func signedByAnotherKey() async throws {
        let exchange = Exchange()
        let trust = try trustStore(exchange, key: Curve25519.Signing.PrivateKey())
        let package = try CraftedPackage.valid()
        let signature = try Curve25519.Signing.PrivateKey().signature(for: package.manifest.xmlData())
        let zip = try package.zip(signature: Data(signature.base64EncodedString().utf8))
        #expect(try await codes(zip, trust: trust, exchange: exchange) == [.badSignature])
    }

    @Test func manifestChangedAfterSigning() async throws {
        let exchange = Exchange()
        let key = Curve25519.Signing.PrivateKey()
        let trust = try trustStore(exchange, key: key)
        var package = try CraftedPackage.valid()
        let signature = try key.signature(for: package.manifest.xmlData())
        package.manifest.createdAt = "2016-09-15T16:00:00Z"
        #expect(try await codes(package.zip(signature: Data(signature.base64EncodedString().utf8)), trust: trust, exchange: exchange) == [.badSignature])
        // Signed again after the change, it verifies (a new receiver: the first decided this TransferId).
        let fresh = Exchange()
        let freshTrust = try trustStore(fresh, key: key)
        #expect(try await codes(package.zip(signature: Data(try key.signature(for: package.manifest.xmlData()).base64EncodedString().utf8)), trust: freshTrust, exchange: fresh) == [])
    }

    @Test func unsignedWhenASignatureIsRequired() async throws {
        #expect(try await codes(CraftedPackage.valid().zip(), requireSignature: true) == [.badSignature])
    }

    @Test func signedButNoKeyInTheTrustStore() async throws {
        let package = try CraftedPackage.valid()
        let signature = try Curve25519.Signing.PrivateKey().signature(for: package.manifest.xmlData())
        #expect(try await codes(package.zip(signature: Data(signature.base64EncodedString().utf8))) == [.badSignature])
    }

    // MARK: WRONG_RECIPIENT, MISSING_FILE, UNLISTED_FILE, CHECKSUM_MISMATCH

    @Test func manifestForAnotherRecipient() async throws {
        #expect(try await codes(CraftedPackage.valid().zip(), as: "N08") == [.wrongRecipient])
    }

    @Test func missingFile() async throws {
        var package = try CraftedPackage.valid()
        package.list("attachments/plan.pdf", Data("%PDF".utf8))
        #expect(try await codes(package.zip()) == [.missingFile])
    }

    @Test func missingAssessment() async throws {
        var package = try CraftedPackage.valid()
        package.entries.removeAll()
        #expect(try await codes(package.zip()) == [.missingFile])
    }

    @Test func unlistedFile() async throws {
        var package = try CraftedPackage.valid()
        package.entries.append(("attachments/extra.pdf", Data("%PDF".utf8)))
        #expect(try await codes(package.zip()) == [.unlistedFile])
    }

    @Test func secondAssessmentIsUnlisted() async throws {
        var package = try CraftedPackage.valid()
        package.entries.append(("Asset.XML", try Fixtures.sample("asset-yot-transfer.xml")))
        #expect(try await codes(package.zip()) == [.unlistedFile])
    }

    @Test func aChangedByteInTheAssessment() async throws {
        var package = try CraftedPackage.valid()
        var bytes = package.entries[0].bytes
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "K")))
        bytes[index] = UInt8(ascii: "Q")
        package.entries[0].bytes = bytes
        #expect(try await codes(package.zip()) == [.checksumMismatch])
    }

    @Test func sizeDiffersFromTheManifest() async throws {
        var package = try CraftedPackage.valid()
        package.manifest.assessment.size += 1
        #expect(try await codes(package.zip()) == [.checksumMismatch])
    }

    // MARK: INVALID_ASSESSMENT, WRONG_STAGE, SUBJECT_MISMATCH

    @Test func invalidAssessment() async throws {
        let invalid = try Data(contentsOf: Fixtures.root.appendingPathComponent("SampleFiles/invalid/episode-mixes-offence-and-incident.xml"))
        var package = try CraftedPackage.valid()
        package.entries = [("AssetPlus.XML", invalid)]
        package.manifest.assessment = .init(path: "AssetPlus.XML", sha256: Gateway.DocumentProcessor.sha256Hex(invalid), size: Int64(invalid.count))
        #expect(try await codes(package.zip()) == [.invalidAssessment])
    }

    @Test func assessmentOfTheOtherFormat() async throws {
        let asset = try Fixtures.sample("asset-yot-transfer.xml")
        var package = try CraftedPackage.valid()
        package.entries = [("AssetPlus.XML", asset)]
        package.manifest.assessment = .init(path: "AssetPlus.XML", sha256: Gateway.DocumentProcessor.sha256Hex(asset), size: Int64(asset.count))
        #expect(try await codes(package.zip()) == [.invalidAssessment])
    }

    @Test func youthToAdultPackageWithAYotToYotStage() async throws {
        let package = try CraftedPackage.valid(kind: .youthToAdult, files: [("NOCO.xml", Data("<NOCO/>".utf8))])
        #expect(try await codes(package.zip()) == [.wrongStage])
    }

    @Test func cancelledStage() async throws {
        let package = try CraftedPackage.valid("assetplus-cancelled-stage.xml", personId: "EV-229874", pnc: "16/0016623P")
        #expect(try await codes(package.zip()) == [.wrongStage])
    }

    @Test func subjectPersonIdMismatch() async throws {
        let package = try CraftedPackage.valid(personId: "KY-999999")
        #expect(try await codes(package.zip()) == [.subjectMismatch])
    }

    @Test func subjectPNCMismatch() async throws {
        let package = try CraftedPackage.valid(pnc: "16/0000001A")
        #expect(try await codes(package.zip()) == [.subjectMismatch])
    }

    // MARK: DUPLICATE

    @Test func sameTransferIdWithDifferentContent() async throws {
        let exchange = Exchange()
        var package = try CraftedPackage.valid()
        #expect(try await codes(package.zip(), name: package.fileName, exchange: exchange) == [])
        package.list("attachments/late.pdf", Data("%PDF late".utf8))
        package.entries.append(("attachments/late.pdf", Data("%PDF late".utf8)))
        #expect(try await codes(package.zip(), name: package.fileName, exchange: exchange) == [.duplicate])
        #expect(try await exchange.receiver.counts().cases == 1)
    }

    @Test func theFirstFailingCheckDecides() async throws {
        // Wrong recipient and a changed byte: WRONG_RECIPIENT comes first.
        var package = try CraftedPackage.valid()
        package.entries[0].bytes.append(0x0A)
        #expect(try await codes(package.zip(), as: "N08") == [.wrongRecipient])
    }

    @Test func reasonsCarryNoPersonalData() async throws {
        let outcome = try await Exchange().receive(CraftedPackage.valid(personId: "KY-999999").zip())
        let xml = String(decoding: outcome.receiptXML, as: UTF8.self)
        #expect(!xml.contains("KY-"))
        #expect(!xml.contains("16/0007715C"))
    }
}

