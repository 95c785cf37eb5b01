public import CaseStore
import Crypto
public import Foundation
public import Gateway
import CaseRecord

/// What importing one package decided.
public struct ImportOutcome: Sendable {
    public var receipt: TransferReceipt
    /// The receipt's bytes, exactly as first written (a repeated package gets the same bytes).
    public var receiptXML: Data
    /// The stored case, when accepted.
    public var caseId: Int64?
    /// True when these exact package bytes were decided before: the earlier receipt, nothing stored.
    public var repeated: Bool
}

/// A package for which no receipt can be written: its TransferId is unknown (the manifest was
/// not readable and the file name is not `<TransferId>.y2a.zip`). The decision is still recorded.
public struct UnanswerablePackage: Error, Sendable, CustomStringConvertible {
    public var reasons: [Reason]
    public var description: String {
        "no receipt can be written (the TransferId is unknown): " + reasons.map(\.description).joined(separator: "; ")
    }
}

/// The receiver: every check of the contract, in its order (the first that fails decides), then
/// the decision, the stored case (when accepted) and the receipt, in one transaction.
public final class PackageImporter {
    public struct Options: Sendable {
        /// The importing organisation; its name is used in DecidedBy (default: the manifest's recipient name).
        public var receiverCode: String
        public var receiverName: String?
        /// A folder of `<CODE>.pub` files (base64 Ed25519 public keys).
        public var trustStore: URL?
        public var requireSignature: Bool
        public var limits: PackageLimits

        public init(receiverCode: String, receiverName: String? = nil, trustStore: URL? = nil, requireSignature: Bool = false, limits: PackageLimits = .contractDefault) {
            self.receiverCode = receiverCode
            self.receiverName = receiverName
            self.trustStore = trustStore
            self.requireSignature = requireSignature
            self.limits = limits
        }
    }

    public let schemas: SchemaCatalog
    public let processor: DocumentProcessor
    public let store: any ReceivedPackages
    public let options: Options
    private let documents: TransferDocumentReader

    public init(schemas: SchemaCatalog, processor: DocumentProcessor, store: any ReceivedPackages, options: Options) {
        self.schemas = schemas
        self.processor = processor
        self.store = store
        self.options = options
        self.documents = TransferDocumentReader(schema: schemas.transfer)
    }

    /// Imports the package file at `url`. Throws `UnanswerablePackage` when no receipt can be
    /// written, and I/O or store failures as they come.
    public func importPackage(at url: URL, now: Date = Date()) async throws -> ImportOutcome {
        let reader = PackageReader(limits: options.limits)
        let bytes: Data
        do {
            bytes = try reader.readFile(url)
        } catch let rejection as PackageRejection {
            // Too large to read: judged on the bytes read so far, with no hash of the whole file.
            return try await decide(.failure(rejection), packageSha256: nil, transferId: Self.transferId(fromFileName: url.lastPathComponent), now: now)
        }
        return try await importPackage(bytes, fileName: url.lastPathComponent, now: now)
    }

    /// Imports a package held in memory; `fileName` gives the TransferId when the manifest cannot.
    public func importPackage(_ bytes: Data, fileName: String, now: Date = Date()) async throws -> ImportOutcome {
        let sha256 = DocumentProcessor.sha256Hex(bytes)
        if let earlier = try await store.receivedPackage(receiver: options.receiverCode, packageSha256: sha256),
           let outcome = try repeated(earlier) {
            return outcome
        }
        var manifest: TransferManifest?
        let checked = Result<Accepted, PackageRejection> { () throws(PackageRejection) -> Accepted in
            try check(bytes, manifest: &manifest)
        }
        let transferId = manifest?.transferId ?? Self.transferId(fromFileName: fileName)
        return try await decide(checked, packageSha256: sha256, transferId: transferId, manifest: manifest, now: now)
    }

    struct Accepted {
        var record: CaseRecord
        /// The transfer's sender: it holds the received case too.
        var senderCode: String
        var assessment: Data
        /// NOCO.xml and attachments, kept with the case so the portal can show them.
        var files: [(file: TransferManifest.File, bytes: Data)] = []
    }

    /// The checks from UNREADABLE to SUBJECT_MISMATCH, in order; DUPLICATE needs the store and
    /// is judged in `decide`'s transaction.
    private func check(_ bytes: Data, manifest found: inout TransferManifest?) throws(PackageRejection) -> Accepted {
        let contents = try PackageReader(limits: options.limits).read(bytes)
        guard let manifestXML = contents.files[TransferManifest.fileName] else {
            throw PackageRejection(.invalidManifest, "The package has no manifest.xml.")
        }
        let manifest: TransferManifest
        do {
            manifest = try TransferManifest.read(manifestXML, reader: documents)
        } catch {
            throw PackageRejection(.invalidManifest, "manifest.xml \(error.message).")
        }
        found = manifest
        try checkSignature(manifestXML, signature: contents.files[TransferManifest.signatureFileName], sender: manifest.sender.code)
        guard manifest.recipient.code == options.receiverCode else {
            throw PackageRejection(.wrongRecipient, "The package is addressed to \(manifest.recipient.code), not to \(options.receiverCode).")
        }
        let listed = manifest.listed
        let present = Set(contents.files.keys).subtracting([TransferManifest.fileName, TransferManifest.signatureFileName])
        let missing = listed.map(\.path).filter { !present.contains($0) }
        let unlisted = present.subtracting(listed.map(\.path)).sorted()
        if !missing.isEmpty || !unlisted.isEmpty {
            throw PackageRejection(reasons:
                missing.map { Reason(.missingFile, "The manifest lists \($0), which is not in the package.") }
                + unlisted.map { Reason(.unlistedFile, "The package holds \(PackageReader.safeName($0)), which the manifest does not list.") })
        }
        var mismatches: [Reason] = []
        for entry in listed {
            let data = contents.files[entry.path] ?? Data()
            if Int64(data.count) != entry.size {
                mismatches.append(Reason(.checksumMismatch, "\(entry.path) is \(data.count) bytes; the manifest says \(entry.size)."))
            } else if DocumentProcessor.sha256Hex(data) != entry.sha256 {
                mismatches.append(Reason(.checksumMismatch, "\(entry.path)'s SHA-256 differs from the manifest: the file was changed or damaged."))
            }
        }
        if !mismatches.isEmpty { throw PackageRejection(reasons: mismatches) }

        let assessment = contents.files[manifest.assessment.path] ?? Data()
        let (record, _) = try AssessmentCheck.validate(assessment, name: manifest.assessment.path, expected: manifest.format, processor: processor)
        try AssessmentCheck.checkStage(record, kind: manifest.kind)
        if record.person.id != manifest.personId {
            throw PackageRejection(.subjectMismatch, "Subject/@personId differs from the assessment's person id.")
        }
        if let pnc = manifest.pnc, pnc != record.person.pnc {
            throw PackageRejection(.subjectMismatch, "Subject/@pnc differs from the assessment's PNC.")
        }
        return Accepted(record: record, senderCode: manifest.sender.code, assessment: assessment, files: manifest.files.map { ($0, contents.files[$0.checksum.path] ?? Data()) })
    }

    /// BAD_SIGNATURE: a signature that does not verify with the sender's key in the trust store,
    /// or none when one is required.
    private func checkSignature(_ manifestXML: Data, signature: Data?, sender: String) throws(PackageRejection) {
        guard let signature else {
            if options.requireSignature {
                throw PackageRejection(.badSignature, "The package is not signed, and this receiver requires a signature (manifest.sig).")
            }
            return
        }
        let text = String(decoding: signature, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), raw.count == 64 else {
            throw PackageRejection(.badSignature, "manifest.sig is not a base64 Ed25519 signature.")
        }
        guard let trustStore = options.trustStore,
              let keyText = try? String(contentsOf: trustStore.appendingPathComponent("\(sender).pub"), encoding: .utf8)
        else {
            throw PackageRejection(.badSignature, "The package is signed, but the trust store has no key for the sender \(sender) (\(sender).pub).")
        }
        guard let keyBytes = Data(base64Encoded: keyText.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes)
        else {
            throw PackageRejection(.badSignature, "The trust store's key for \(sender) is not a base64 Ed25519 public key.")
        }
        guard key.isValidSignature(raw, for: manifestXML) else {
            throw PackageRejection(.badSignature, "manifest.sig does not verify with the key of \(sender): the manifest was changed or signed by someone else.")
        }
    }

    /// Records the decision (with DUPLICATE judged and the case stored in the same
    /// transaction) and makes the receipt.
    private func decide(
        _ checked: Result<Accepted, PackageRejection>, packageSha256: String?, transferId: String?,
        manifest: TransferManifest? = nil, now: Date
    ) async throws -> ImportOutcome {
        let receiverCode = options.receiverCode
        let receiverName = options.receiverName
            ?? (manifest?.recipient.code == receiverCode ? manifest?.recipient.name : nil) ?? receiverCode
        let decidedAt = TransferClock.timestamp(now)
        let result = try await store.decidePackage(receiver: receiverCode, packageSha256: packageSha256, transferId: transferId) {
            earlier, transferIdDecided throws -> (PackageDecision, (outcome: ImportOutcome?, reasons: [Reason])) in
            if let earlier {
                // Decided before: the same answer, and nothing recorded twice.
                if let outcome = try repeated(earlier) { return (.nothing, (outcome, [])) }
                if case .failure(let rejection) = checked { return (.nothing, (nil, rejection.reasons)) }
            }
            var reasons: [Reason]
            var accepted: PackageCase?
            switch checked {
            case .failure(let rejection):
                reasons = rejection.reasons
            case .success(let package):
                reasons = []
                if transferIdDecided {
                    reasons = [Reason(.duplicate, "This TransferId was decided before with different content; a package is never changed once sent (re-send a corrected case with a new TransferId).")]
                } else {
                    // Held by the receiver and by the sender of the transfer.
                    accepted = PackageCase(
                        record: package.record, sourceXML: package.assessment, sourceName: package.record.source.fileName, now: now,
                        holders: [receiverCode, package.senderCode],
                        documents: package.files.map { file, bytes in
                            NewCaseDocument(
                                fileName: file.checksum.path, mediaType: file.mediaType, sha256: file.checksum.sha256, bytes: bytes,
                                transferId: transferId, isNOCO: file.role == .noco)
                        })
                }
            }
            let receipt = transferId.map {
                TransferReceipt(
                    transferId: $0, decision: reasons.isEmpty ? .accepted : .rejected, decidedAt: decidedAt,
                    decidedBy: Organisation(code: receiverCode, name: receiverName), reasons: reasons)
            }
            let receiptXML = receipt?.xmlData()
            let received = packageSha256.map {
                ReceivedPackage(
                    receiverCode: receiverCode, packageSha256: $0, transferId: transferId,
                    decision: (reasons.isEmpty ? Decision.accepted : .rejected).rawValue,
                    reasons: reasons.map(\.code.rawValue).joined(separator: " "), caseId: nil,
                    decidedAt: decidedAt, receiptXML: receiptXML,
                    senderCode: manifest?.sender.code, kind: manifest?.kind.rawValue, personRef: manifest?.personId)
            }
            guard let receipt, let receiptXML else { return (.record(case: accepted, received: received), (nil, reasons)) }
            return (.record(case: accepted, received: received), (ImportOutcome(receipt: receipt, receiptXML: receiptXML, caseId: nil, repeated: false), reasons))
        }
        guard var outcome = result.value.outcome else { throw UnanswerablePackage(reasons: result.value.reasons) }
        if !outcome.repeated { outcome.caseId = result.caseId }
        return outcome
    }

    /// The earlier answer to the same bytes, or nil when none could be written then.
    private func repeated(_ earlier: ReceivedPackage) throws -> ImportOutcome? {
        guard let xml = earlier.receiptXML else { return nil }
        let receipt = try TransferReceipt.read(xml, reader: documents)
        return ImportOutcome(receipt: receipt, receiptXML: xml, caseId: earlier.caseId, repeated: true)
    }

    /// The TransferId in a file name `<TransferId>.y2a.zip`, if it is one.
    static func transferId(fromFileName name: String) -> String? {
        let suffix = ".y2a.zip"
        guard name.hasSuffix(suffix) else { return nil }
        let id = String(name.dropLast(suffix.count))
        return TransferClock.isTransferId(id) ? id : nil
    }
}
