import CaseRecord
public import CaseStore
public import Foundation
public import Gateway

/// A delivery or receipt the sender cannot apply (unknown package, changed file, receipt from
/// someone else). The status does not change.
public struct TransferRefusal: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension TransferLedger {
    /// Delivers a package to a drop folder: the package is written under a hidden temporary name
    /// in `folder` and renamed (a receiver never sees half a file), and only then does the status
    /// move awaiting → transferred. If the copy fails, the status stays awaiting and the error is
    /// kept in the history, and the error is rethrown.
    public func send(_ packageURL: URL, toFolder folder: URL, schemas: SchemaCatalog, now: Date = Date()) async throws -> TransferRow {
        try await send(Data(contentsOf: packageURL), name: packageURL.lastPathComponent, toFolder: folder, schemas: schemas, now: now)
    }

    /// `send(_:toFolder:)` for a package held in memory; `name` names it in refusals.
    public func send(_ bytes: Data, name: String, toFolder folder: URL, schemas: SchemaCatalog, now: Date = Date()) async throws -> TransferRow {
        try await deliver(bytes, name: name, schemas: schemas, detail: "delivered to \(folder.path)", now: now) { manifest in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw GatewayError(code: "IO-MISSING", message: "the drop folder does not exist", path: folder.path)
            }
            try AtomicFile.write(bytes, to: folder.appendingPathComponent(manifest.packageFileName))
        }
    }

    /// Delivers an exported package by `delivery` (a drop folder, or the importer of another
    /// organisation on the same hub), then moves it awaiting → transferred with `detail`. The
    /// package must be the one the ledger recorded (same SHA-256) and awaiting. If `delivery`
    /// throws, the status stays awaiting, the error is kept in the history, and it is rethrown.
    public func deliver(
        _ bytes: Data, name: String, schemas: SchemaCatalog, detail: String, now: Date = Date(),
        by delivery: (TransferManifest) async throws -> Void
    ) async throws -> TransferRow {
        let manifest = try Self.manifest(of: bytes, schemas: schemas)
        guard let row = try await store.transfer(manifest.transferId) else {
            throw TransferRefusal(message: "transfer \(manifest.transferId) is not in this store: export it with `y2a transfer export` first")
        }
        guard row.packageSha256 == DocumentProcessor.sha256Hex(bytes) else {
            throw TransferRefusal(message: "\(name) is not the package exported as transfer \(row.transferId) (its SHA-256 differs); send the exported file")
        }
        // Refuse a move the ledger would refuse (e.g. already transferred) before delivering anything.
        guard row.status == TransferStatus.awaiting.rawValue else {
            throw TransferRefusal(message: "transfer \(row.transferId) is \(row.status); only an awaiting transfer can be sent (the move \(row.status) → transferred is not allowed)")
        }
        // Deliver first, then say "transferred": the ledger never claims a delivery that did not
        // happen. A crash between the two leaves the package delivered and the status awaiting;
        // sending again delivers the same bytes, which the receiver answers with the same receipt.
        do {
            try await delivery(manifest)
        } catch {
            try await recordFailedDelivery(row.transferId, error: error, now: now)
            throw error
        }
        try await move(row.transferId, to: .transferred, detail: detail, now: now)
        return try await store.transfer(row.transferId) ?? row
    }

    /// A delivery that failed: the status stays awaiting and the error is kept in the history.
    func recordFailedDelivery(_ transferId: String, error: any Error, now: Date) async throws {
        try await store.noteTransfer(transferId, at: TransferClock.timestamp(now), detail: "delivery failed: \(error)", reason: "delivery failed: \(error)")
    }

    /// Applies a receiver's receipt: transferred → accepted, or → rejected with the reasons kept.
    /// A receipt that is not valid (a Rejected one without a Reason among them), names an unknown
    /// transfer, or comes from another organisation than the recipient is refused, and the status
    /// does not change.
    public func apply(receipt bytes: Data, name: String, schemas: SchemaCatalog, now: Date = Date()) async throws -> (TransferReceipt, TransferRow) {
        let receipt = try TransferReceipt.read(bytes, name: name, reader: TransferDocumentReader(schema: schemas.transfer))
        guard let row = try await store.transfer(receipt.transferId) else {
            throw TransferRefusal(message: "the receipt is for transfer \(receipt.transferId), which is not in this store")
        }
        guard receipt.decidedBy.code == row.recipientCode else {
            throw TransferRefusal(message: "the receipt was decided by \(receipt.decidedBy.code), but transfer \(row.transferId) was sent to \(row.recipientCode)")
        }
        let reasons = receipt.reasons.map(\.description).joined(separator: "; ")
        let status: TransferStatus = receipt.decision == .accepted ? .accepted : .rejected
        let detail = "receipt: \(receipt.decision.rawValue) by \(receipt.decidedBy.code) at \(receipt.decidedAt)" + (reasons.isEmpty ? "" : " (\(reasons))")
        let moved = try await move(row.transferId, to: status, detail: detail, reason: reasons.isEmpty ? nil : reasons, now: now)
        return (receipt, moved)
    }

    /// The manifest of a package this sender built (read with every check of the reader).
    static func manifest(of package: Data, schemas: SchemaCatalog) throws -> TransferManifest {
        let contents = try PackageReader().read(package)
        guard let xml = contents.files[TransferManifest.fileName] else {
            throw TransferRefusal(message: "the package has no manifest.xml")
        }
        return try TransferManifest.read(xml, reader: TransferDocumentReader(schema: schemas.transfer))
    }
}
