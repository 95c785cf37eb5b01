public import Foundation
public import GRDB

/// A package the sender built: one row of `y2a transfer status`. No names: the young person
/// is identified by the assessment's person id only.
public struct TransferRow: Sendable, Codable, Hashable {
    public var transferId: String
    public var kind: String
    public var personRef: String
    public var senderCode: String
    public var recipientCode: String
    public var recipientName: String
    public var documentId: String
    public var packageSha256: String
    public var packageName: String
    public var status: String
    public var createdAt: String
    public var updatedAt: String
    /// The latest reason: a rejection's reason codes, or the error of a failed delivery.
    public var reason: String?

    public init(
        transferId: String, kind: String, personRef: String, senderCode: String, recipientCode: String,
        recipientName: String, documentId: String, packageSha256: String, packageName: String, status: String,
        createdAt: String, updatedAt: String, reason: String? = nil
    ) {
        self.transferId = transferId
        self.kind = kind
        self.personRef = personRef
        self.senderCode = senderCode
        self.recipientCode = recipientCode
        self.recipientName = recipientName
        self.documentId = documentId
        self.packageSha256 = packageSha256
        self.packageName = packageName
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.reason = reason
    }
}

/// One status change of a transfer, as kept (append-only) in its history.
public struct TransferEvent: Sendable, Codable, Hashable {
    public var fromStatus: String?
    public var toStatus: String
    public var at: String
    public var detail: String?

    public init(fromStatus: String?, toStatus: String, at: String, detail: String?) {
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.at = at
        self.detail = detail
    }
}

/// A package the receiver decided: the decision and the receipt that was sent.
public struct ReceivedPackage: Sendable, Codable, Hashable {
    public var receiverCode: String
    public var packageSha256: String
    public var transferId: String?
    public var decision: String
    /// Reason codes, space-separated (empty when accepted).
    public var reasons: String
    public var caseId: Int64?
    public var decidedAt: String
    public var receiptXML: Data?
    /// From the manifest, when it could be read (nil for a package too damaged to say).
    public var senderCode: String?
    public var kind: String?
    /// The assessment's person id (never a name).
    public var personRef: String?

    public init(
        receiverCode: String, packageSha256: String, transferId: String?, decision: String, reasons: String, caseId: Int64?, decidedAt: String,
        receiptXML: Data?, senderCode: String? = nil, kind: String? = nil, personRef: String? = nil
    ) {
        self.senderCode = senderCode
        self.kind = kind
        self.personRef = personRef
        self.receiverCode = receiverCode
        self.packageSha256 = packageSha256
        self.transferId = transferId
        self.decision = decision
        self.reasons = reasons
        self.caseId = caseId
        self.decidedAt = decidedAt
        self.receiptXML = receiptXML
    }
}

extension CaseStore {
    /// Records a new transfer with its first status, and that first entry of its history, in
    /// one transaction.
    public func insertTransfer(_ row: TransferRow, detail: String?) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO transfer (transferId, kind, personRef, senderCode, recipientCode, recipientName,
                        documentId, packageSha256, packageName, status, createdAt, updatedAt, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    row.transferId, row.kind, row.personRef, row.senderCode, row.recipientCode, row.recipientName,
                    row.documentId, row.packageSha256, row.packageName, row.status, row.createdAt, row.updatedAt, row.reason,
                ])
            try Self.appendEvent(db, transferId: row.transferId, from: nil, to: row.status, at: row.createdAt, detail: detail)
        }
    }

    /// Moves a transfer to `status` in one transaction: reads the current status, lets `check`
    /// refuse the move (its error is rethrown as is), updates the row and appends to the history.
    /// - Returns: the row after the move, or nil when no transfer has this id.
    public func moveTransfer(
        _ transferId: String, to status: String, at: String, detail: String?, reason: String?,
        check: (_ current: String) throws -> Void
    ) throws -> TransferRow? {
        try write { db -> TransferRow? in
            guard let current = try String.fetchOne(db, sql: "SELECT status FROM transfer WHERE transferId = ?", arguments: [transferId]) else {
                return nil
            }
            try check(current)
            try db.execute(
                sql: "UPDATE transfer SET status = ?, updatedAt = ?, reason = ? WHERE transferId = ?",
                arguments: [status, at, reason, transferId])
            try Self.appendEvent(db, transferId: transferId, from: current, to: status, at: at, detail: detail)
            return try Self.transfer(db, transferId)
        }
    }

    /// Appends a history entry that does not change the status (a failed delivery attempt),
    /// keeping `reason` on the transfer. One transaction.
    public func noteTransfer(_ transferId: String, at: String, detail: String, reason: String?) throws {
        try write { db in
            guard let current = try String.fetchOne(db, sql: "SELECT status FROM transfer WHERE transferId = ?", arguments: [transferId]) else { return }
            try db.execute(sql: "UPDATE transfer SET updatedAt = ?, reason = ? WHERE transferId = ?", arguments: [at, reason, transferId])
            try Self.appendEvent(db, transferId: transferId, from: current, to: current, at: at, detail: detail)
        }
    }

    /// Every transfer, newest first.
    public func transfers() throws(StoreError) -> [TransferRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM transfer ORDER BY createdAt DESC, rowid DESC").map(Self.transferRow)
        }
    }

    /// One transfer, or nil.
    public func transfer(_ transferId: String) throws(StoreError) -> TransferRow? {
        try read { db in try Self.transfer(db, transferId) }
    }

    /// A transfer's history, oldest first.
    public func transferHistory(_ transferId: String) throws(StoreError) -> [TransferEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT fromStatus, toStatus, at, detail FROM transferEvent WHERE transferId = ? ORDER BY id", arguments: [transferId]).map {
                TransferEvent(fromStatus: $0["fromStatus"], toStatus: $0["toStatus"], at: $0["at"], detail: $0["detail"])
            }
        }
    }

    // Seen by an organisation: its own side of a transfer only, scoped in the query.

    /// The transfers `organisation` sent, newest first.
    public func transfers(sentBy organisation: String) throws(StoreError) -> [TransferRow] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM transfer WHERE senderCode = ? ORDER BY createdAt DESC, rowid DESC", arguments: [organisation]
            ).map(Self.transferRow)
        }
    }

    /// One transfer with its history, if `organisation` is its sender or its recipient.
    public func transfer(_ transferId: String, party organisation: String) throws(StoreError) -> (row: TransferRow, history: [TransferEvent])? {
        try read { db -> (row: TransferRow, history: [TransferEvent])? in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM transfer WHERE transferId = ? AND (senderCode = ? OR recipientCode = ?)",
                arguments: [transferId, organisation, organisation]
            ).map(Self.transferRow) else { return nil }
            let history = try Row.fetchAll(
                db, sql: "SELECT fromStatus, toStatus, at, detail FROM transferEvent WHERE transferId = ? ORDER BY id", arguments: [transferId]
            ).map { TransferEvent(fromStatus: $0["fromStatus"], toStatus: $0["toStatus"], at: $0["at"], detail: $0["detail"]) }
            return (row, history)
        }
    }

    /// The decisions `receiver` took, newest first.
    public func receivedPackages(receiver: String) throws(StoreError) -> [ReceivedPackage] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM receivedPackage WHERE receiverCode = ? ORDER BY id DESC", arguments: [receiver]).map(Self.receivedRow)
        }
    }

    /// The decisions `receiver` took on packages with this TransferId, oldest first.
    public func receivedPackages(receiver: String, transferId: String) throws(StoreError) -> [ReceivedPackage] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM receivedPackage WHERE receiverCode = ? AND transferId = ? ORDER BY id", arguments: [receiver, transferId]
            ).map(Self.receivedRow)
        }
    }

    /// The decision already taken on these exact package bytes by this receiver, if any.
    static func receivedPackage(_ db: Database, receiver: String, packageSha256: String) throws -> ReceivedPackage? {
        try Row.fetchOne(db, sql: "SELECT * FROM receivedPackage WHERE receiverCode = ? AND packageSha256 = ?", arguments: [receiver, packageSha256]).map(Self.receivedRow)
    }

    /// True when this receiver decided this TransferId before (for any package bytes).
    static func hasDecided(_ db: Database, receiver: String, transferId: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM receivedPackage WHERE receiverCode = ? AND transferId = ?)", arguments: [receiver, transferId]) ?? false
    }

    /// Records a receiver's decision, inside the caller's transaction.
    static func insertReceived(_ db: Database, _ row: ReceivedPackage) throws {
        try db.execute(
            sql: """
                INSERT INTO receivedPackage (receiverCode, packageSha256, transferId, decision, reasons, caseId, decidedAt, receiptXML,
                    senderCode, kind, personRef)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                row.receiverCode, row.packageSha256, row.transferId, row.decision, row.reasons, row.caseId, row.decidedAt, row.receiptXML,
                row.senderCode, row.kind, row.personRef,
            ])
    }

    /// The decision already taken on these exact package bytes by this receiver, if any.
    public func receivedPackage(receiver: String, packageSha256: String) throws(StoreError) -> ReceivedPackage? {
        try read { db in try Self.receivedPackage(db, receiver: receiver, packageSha256: packageSha256) }
    }

    /// Decides a package in one write transaction (SQLite has one writer at a time, so two
    /// importers of the same bytes are serialised).
    public func decidePackage<Value>(
        receiver: String, packageSha256: String?, transferId: String?,
        _ decide: (_ earlier: ReceivedPackage?, _ transferIdDecided: Bool) throws -> (PackageDecision, Value)
    ) throws -> (value: Value, caseId: Int64?) {
        try write { db -> (value: Value, caseId: Int64?) in
            let earlier = try packageSha256.flatMap { try Self.receivedPackage(db, receiver: receiver, packageSha256: $0) }
            let decided = try transferId.map { try Self.hasDecided(db, receiver: receiver, transferId: $0) } ?? false
            let (decision, value) = try decide(earlier, decided)
            guard case .record(let accepted, let received) = decision else { return (value, nil) }
            var caseId: Int64?
            if let accepted {
                switch try Self.insert(accepted.record, sourceXML: accepted.sourceXML, sourceName: accepted.sourceName, now: accepted.now, db: db, holders: accepted.holders) {
                case .stored(let id, _), .alreadyStored(let id): caseId = id
                }
                for document in accepted.documents {
                    try Self.insertCaseDocument(
                        db, caseId: caseId!, fileName: document.fileName, mediaType: document.mediaType, sha256: document.sha256,
                        bytes: document.bytes, transferId: document.transferId, isNOCO: document.isNOCO)
                }
            }
            if var received {
                received.caseId = caseId
                try Self.insertReceived(db, received)
            }
            return (value, caseId)
        }
    }

    /// The decisions this store took as a receiver, newest first.
    public func receivedPackages() throws(StoreError) -> [ReceivedPackage] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM receivedPackage ORDER BY id DESC").map(Self.receivedRow)
        }
    }

    /// Runs a write transaction; database failures become `StoreError`, other errors pass through.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        }
    }

    static func appendEvent(_ db: Database, transferId: String, from: String?, to: String, at: String, detail: String?) throws {
        try db.execute(
            sql: "INSERT INTO transferEvent (transferId, fromStatus, toStatus, at, detail) VALUES (?, ?, ?, ?, ?)",
            arguments: [transferId, from, to, at, detail])
    }

    static func transfer(_ db: Database, _ transferId: String) throws -> TransferRow? {
        try Row.fetchOne(db, sql: "SELECT * FROM transfer WHERE transferId = ?", arguments: [transferId]).map(transferRow)
    }

    static func transferRow(_ row: Row) -> TransferRow {
        TransferRow(
            transferId: row["transferId"], kind: row["kind"], personRef: row["personRef"], senderCode: row["senderCode"],
            recipientCode: row["recipientCode"], recipientName: row["recipientName"], documentId: row["documentId"],
            packageSha256: row["packageSha256"], packageName: row["packageName"], status: row["status"],
            createdAt: row["createdAt"], updatedAt: row["updatedAt"], reason: row["reason"])
    }

    static func receivedRow(_ row: Row) -> ReceivedPackage {
        ReceivedPackage(
            receiverCode: row["receiverCode"], packageSha256: row["packageSha256"], transferId: row["transferId"],
            decision: row["decision"], reasons: row["reasons"], caseId: row["caseId"], decidedAt: row["decidedAt"],
            receiptXML: row["receiptXML"], senderCode: row["senderCode"], kind: row["kind"], personRef: row["personRef"])
    }
}
