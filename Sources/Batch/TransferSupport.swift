import CaseStore
import Findings
import Foundation
import Gateway
import Transfers

/// Packages and receipts through the Transfers module. The importer and the ledger commit
/// their own transactions; the batch's journal row follows in a second one. That is still
/// exactly once: the importer answers the same package bytes with the same receipt bytes and
/// stores nothing twice, a receipt already applied is recognised below, and nothing leaves
/// (receipt to the outbox, file moved) until the journal row is committed.
struct TransferSupport: TransferHandling {
    let importer: PackageImporter
    let ledger: TransferLedger
    let schemas: SchemaCatalog
    let receipts: TransferDocumentReader

    static func make(context: RunContext, schemas: SchemaCatalog, processor: DocumentProcessor) -> (any TransferHandling)? {
        guard let store = context.store else { return nil }
        let configuration = context.configuration
        let limits = PackageLimits(
            maxPackageBytes: configuration.maxPackageBytes, maxEntryBytes: configuration.maxEntryBytes,
            maxTotalBytes: PackageLimits.contractDefault.maxTotalBytes, maxRatio: Int64(configuration.maxCompressionRatio))
        let importer = PackageImporter(
            schemas: schemas, processor: processor, store: store,
            options: .init(
                receiverCode: configuration.organisation, receiverName: configuration.organisationName,
                trustStore: configuration.trustStore, requireSignature: configuration.requireSignature, limits: limits))
        return TransferSupport(importer: importer, ledger: TransferLedger(store: store), schemas: schemas, receipts: TransferDocumentReader(schema: schemas.transfer))
    }

    func importPackage(_ file: InboxFile, bytes: Data?, sha256: String, handler: FileHandler) async throws -> FileEntry {
        let context = handler.context
        let outcome: ImportOutcome
        do {
            // Too large to hold: the importer judges TOO_LARGE while reading the file.
            if let bytes {
                outcome = try await importer.importPackage(bytes, fileName: file.name, now: context.now)
            } else {
                outcome = try await importer.importPackage(at: file.url, now: context.now)
            }
        } catch let unanswerable as UnanswerablePackage {
            return try await handler.quarantine(file, sha256: sha256, kind: .package, findings: Self.findings(unanswerable.reasons), outcome: .rejected)
        }
        let receipt = outcome.receipt
        let accepted = receipt.decision == .accepted
        let codes = receipt.reasons.map(\.code.rawValue)
        let note = accepted ? nil : try FindingsNote(
            file: file.name, sha256: sha256, kind: .package, outcome: .rejected, transferId: receipt.transferId,
            findings: Self.findings(receipt.reasons), moreFindings: 0).json()
        let name = "\(receipt.transferId).receipt.xml"
        let row = try await context.store!.journal(receiptNamed: name) { earlier in
            ProcessedFile(
                sha256: sha256, name: file.name, kind: FileKind.package.rawValue,
                outcome: (accepted ? FileOutcome.accepted : .rejected).rawValue, destination: accepted ? "archive" : "quarantine",
                codes: codes, caseId: outcome.caseId, transferId: receipt.transferId, findingsJSON: note,
                receiptName: Self.receiptName(receipt.transferId, xml: outcome.receiptXML, earlier: earlier), receiptXML: outcome.receiptXML,
                runId: context.runId, decidedAt: context.decidedAt)
        }
        return try handler.place(file, row, recovered: false)
    }

    /// `<TransferId>.receipt.xml`; a different answer under a TransferId already answered (a
    /// DUPLICATE) gets its own name, so no receipt is ever replaced by another.
    private static func receiptName(_ transferId: String, xml: Data, earlier: [Data]) -> String {
        let name = "\(transferId).receipt.xml"
        if earlier.isEmpty || earlier.contains(xml) { return name }
        return "\(transferId).\(DocumentProcessor.sha256Hex(xml).prefix(12)).receipt.xml"
    }

    func applyReceipt(_ file: InboxFile, bytes: Data, sha256: String, handler: FileHandler) async throws -> FileEntry {
        let context = handler.context
        var transferId: String?
        do {
            let receipt = try TransferReceipt.read(bytes, name: file.name, reader: receipts)
            transferId = receipt.transferId
            if try await !alreadyApplied(receipt) {
                _ = try await ledger.apply(receipt: bytes, name: file.name, schemas: schemas, now: context.now)
            }
        } catch let error as TransferDocumentError {
            return try await refuse(file, sha256: sha256, code: "RECEIPT-INVALID", message: error.message, transferId: transferId, handler: handler)
        } catch let error as TransferRefusal {
            return try await refuse(file, sha256: sha256, code: "RECEIPT-REFUSED", message: error.message, transferId: transferId, handler: handler)
        } catch let error as TransferMoveError {
            return try await refuse(file, sha256: sha256, code: "RECEIPT-REFUSED", message: error.message, transferId: transferId, handler: handler)
        }
        let row = ProcessedFile(
            sha256: sha256, name: file.name, kind: FileKind.receipt.rawValue, outcome: FileOutcome.applied.rawValue,
            destination: "archive", codes: [], transferId: transferId, runId: context.runId, decidedAt: context.decidedAt)
        try await context.store!.journal(row)
        return try handler.place(file, row, recovered: false)
    }

    /// True when this very receipt was applied by a run killed before its journal row: the
    /// transfer already has the receipt's decision, recorded from a receipt decided at the
    /// same time by the same organisation (the ledger's history line).
    private func alreadyApplied(_ receipt: TransferReceipt) async throws -> Bool {
        let store = ledger.store
        guard let row = try await store.transfer(receipt.transferId) else { return false }
        let status = receipt.decision == .accepted ? "accepted" : "rejected"
        guard row.status == status else { return false }
        let line = "receipt: \(receipt.decision.rawValue) by \(receipt.decidedBy.code) at \(receipt.decidedAt)"
        return try await store.transferHistory(receipt.transferId).contains { $0.toStatus == status && ($0.detail ?? "").hasPrefix(line) }
    }

    private func refuse(_ file: InboxFile, sha256: String, code: String, message: String, transferId: String?, handler: FileHandler) async throws -> FileEntry {
        let finding = Finding(code: code, message: message)
        return try await handler.quarantine(file, sha256: sha256, kind: .receipt, findings: [finding], transferId: transferId)
    }

    private static func findings(_ reasons: [Reason]) -> [Finding] {
        reasons.map { Finding(code: $0.code.rawValue, message: $0.text) }
    }
}
