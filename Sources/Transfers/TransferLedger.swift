public import CaseRecord
public import CaseStore
public import Foundation

/// A move the contract does not allow, or a transfer the ledger does not know.
public struct TransferMoveError: Error, Sendable, CustomStringConvertible {
    public var transferId: String
    public var message: String

    public var description: String { "transfer \(transferId): \(message)" }
}

/// The sender's ledger: transfer statuses and their history in the case store. Only the
/// contract's moves are made (awaiting → transferred, transferred → awaiting, transferred →
/// accepted | rejected), each in one transaction with its history entry.
public struct TransferLedger: Sendable {
    public let store: any TransferLedgerStore

    public init(store: any TransferLedgerStore) {
        self.store = store
    }

    /// The moves of the contract's status table.
    public static func isAllowed(from: TransferStatus, to: TransferStatus) -> Bool {
        switch (from, to) {
        case (.awaiting, .transferred), (.transferred, .awaiting), (.transferred, .accepted), (.transferred, .rejected): true
        default: false
        }
    }

    /// Records a package just built, as `awaiting`.
    public func recordExport(_ manifest: TransferManifest, documentId: String, packageSha256: String, now: Date = Date()) async throws {
        let at = TransferClock.timestamp(now)
        try await store.insertTransfer(
            TransferRow(
                transferId: manifest.transferId, kind: manifest.kind.rawValue, personRef: manifest.personId,
                senderCode: manifest.sender.code, recipientCode: manifest.recipient.code, recipientName: manifest.recipient.name,
                documentId: documentId, packageSha256: packageSha256, packageName: manifest.packageFileName,
                status: TransferStatus.awaiting.rawValue, createdAt: at, updatedAt: at),
            detail: "package built")
    }

    /// Moves a transfer, refusing any move the contract does not allow with an error that names
    /// the current status and the attempted move.
    @discardableResult
    public func move(_ transferId: String, to status: TransferStatus, detail: String?, reason: String? = nil, now: Date = Date()) async throws -> TransferRow {
        let row = try await store.moveTransfer(transferId, to: status.rawValue, at: TransferClock.timestamp(now), detail: detail, reason: reason) { current in
            guard let from = TransferStatus(rawValue: current), Self.isAllowed(from: from, to: status) else {
                throw TransferMoveError(
                    transferId: transferId,
                    message: "the status is \(current); the move \(current) → \(status.rawValue) is not allowed (allowed: awaiting → transferred, transferred → awaiting, transferred → accepted or rejected)")
            }
        }
        guard let row else {
            throw TransferMoveError(transferId: transferId, message: "no such transfer in this store (check the id with `y2a transfer status`)")
        }
        return row
    }
}
