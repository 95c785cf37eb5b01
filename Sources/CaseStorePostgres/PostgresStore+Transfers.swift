public import CaseStore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func insertTransfer(_ row: TransferRow, detail: String?) async throws {
        try await transaction { connection in
            try await connection.run(
                """
                INSERT INTO transfer (transferId, kind, personRef, senderCode, recipientCode, recipientName,
                    documentId, packageSha256, packageName, status, createdAt, updatedAt, reason)
                VALUES (\(row.transferId), \(row.kind), \(row.personRef), \(row.senderCode), \(row.recipientCode), \(row.recipientName),
                    \(row.documentId), \(row.packageSha256), \(row.packageName), \(row.status), \(row.createdAt), \(row.updatedAt), \(row.reason))
                """, logger: self.logger)
            try await self.appendEvent(connection, transferId: row.transferId, from: nil, to: row.status, at: row.createdAt, detail: detail)
        }
    }

    /// The row is locked (`FOR UPDATE`) from the read of its status to the commit, so two
    /// nodes moving one transfer at once are serialised and the second sees the first's move.
    public func moveTransfer(
        _ transferId: String, to status: String, at: String, detail: String?, reason: String?,
        check: (_ current: String) throws -> Void
    ) async throws -> TransferRow? {
        try await transaction { connection -> TransferRow? in
            guard let current = try await connection.rows("SELECT status FROM transfer WHERE transferId = \(transferId) FOR UPDATE", logger: self.logger, { try $0.next(String.self) }).first else {
                return nil
            }
            try check(current)
            try await connection.run("UPDATE transfer SET status = \(status), updatedAt = \(at), reason = \(reason) WHERE transferId = \(transferId)", logger: self.logger)
            try await self.appendEvent(connection, transferId: transferId, from: current, to: status, at: at, detail: detail)
            return try await self.transfer(transferId, connection)
        }
    }

    public func noteTransfer(_ transferId: String, at: String, detail: String, reason: String?) async throws {
        try await transaction { connection in
            guard let current = try await connection.rows("SELECT status FROM transfer WHERE transferId = \(transferId) FOR UPDATE", logger: self.logger, { try $0.next(String.self) }).first else { return }
            try await connection.run("UPDATE transfer SET updatedAt = \(at), reason = \(reason) WHERE transferId = \(transferId)", logger: self.logger)
            try await self.appendEvent(connection, transferId: transferId, from: current, to: current, at: at, detail: detail)
        }
    }

    static let transferColumns = """
        transferId, kind, personRef, senderCode, recipientCode, recipientName, documentId, packageSha256,
        packageName, status, createdAt, updatedAt, reason
        """

    static func transferRow(_ cells: inout Cells) throws -> TransferRow {
        TransferRow(
            transferId: try cells.next(), kind: try cells.next(), personRef: try cells.next(), senderCode: try cells.next(),
            recipientCode: try cells.next(), recipientName: try cells.next(), documentId: try cells.next(),
            packageSha256: try cells.next(), packageName: try cells.next(), status: try cells.next(),
            createdAt: try cells.next(), updatedAt: try cells.next(), reason: try cells.next())
    }

    public func transfers() async throws -> [TransferRow] {
        try await withConnection { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.transferColumns) FROM transfer ORDER BY createdAt DESC, seq DESC"), logger: self.logger, Self.transferRow)
        }
    }

    public func transfer(_ transferId: String) async throws -> TransferRow? {
        try await withConnection { connection in try await self.transfer(transferId, connection) }
    }

    func transfer(_ transferId: String, _ connection: PostgresConnection) async throws -> TransferRow? {
        var bindings = PostgresBindings()
        bindings.append(transferId)
        return try await connection.rows(
            PostgresQuery(unsafeSQL: "SELECT \(Self.transferColumns) FROM transfer WHERE transferId = $1", binds: bindings),
            logger: logger, Self.transferRow).first
    }

    /// The transfers `organisation` sent, newest first.
    public func transfers(sentBy organisation: String) async throws -> [TransferRow] {
        var bindings = PostgresBindings()
        bindings.append(organisation)
        return try await withConnection { connection in
            try await connection.rows(
                PostgresQuery(unsafeSQL: "SELECT \(Self.transferColumns) FROM transfer WHERE senderCode = $1 ORDER BY createdAt DESC, seq DESC", binds: bindings),
                logger: self.logger, Self.transferRow)
        }
    }

    /// One transfer with its history, if `organisation` is its sender or its recipient.
    public func transfer(_ transferId: String, party organisation: String) async throws -> (row: TransferRow, history: [TransferEvent])? {
        var bindings = PostgresBindings()
        bindings.append(transferId)
        bindings.append(organisation)
        let row = try await withConnection { connection in
            try await connection.rows(
                PostgresQuery(unsafeSQL: "SELECT \(Self.transferColumns) FROM transfer WHERE transferId = $1 AND (senderCode = $2 OR recipientCode = $2)", binds: bindings),
                logger: self.logger, Self.transferRow).first
        }
        guard let row else { return nil }
        return (row, try await transferHistory(transferId))
    }

    public func transferHistory(_ transferId: String) async throws -> [TransferEvent] {
        try await withConnection { connection in
            try await connection.rows("SELECT fromStatus, toStatus, at, detail FROM transferEvent WHERE transferId = \(transferId) ORDER BY id", logger: self.logger) {
                TransferEvent(fromStatus: try $0.next(), toStatus: try $0.next(), at: try $0.next(), detail: try $0.next())
            }
        }
    }

    func appendEvent(_ connection: PostgresConnection, transferId: String, from: String?, to: String, at: String, detail: String?) async throws {
        try await connection.run(
            "INSERT INTO transferEvent (transferId, fromStatus, toStatus, at, detail) VALUES (\(transferId), \(from), \(to), \(at), \(detail))",
            logger: logger)
    }

    // MARK: Received packages

    static let receivedColumns = "receiverCode, packageSha256, transferId, decision, reasons, caseId, decidedAt, receiptXML, senderCode, kind, personRef"

    static func receivedRow(_ cells: inout Cells) throws -> ReceivedPackage {
        ReceivedPackage(
            receiverCode: try cells.next(), packageSha256: try cells.next(), transferId: try cells.next(), decision: try cells.next(),
            reasons: try cells.next(), caseId: try cells.next(), decidedAt: try cells.next(), receiptXML: try cells.next(),
            senderCode: try cells.next(), kind: try cells.next(), personRef: try cells.next())
    }

    public func receivedPackage(receiver: String, packageSha256: String) async throws -> ReceivedPackage? {
        try await withConnection { connection in try await self.receivedPackage(receiver: receiver, packageSha256: packageSha256, connection) }
    }

    func receivedPackage(receiver: String, packageSha256: String, _ connection: PostgresConnection) async throws -> ReceivedPackage? {
        var bindings = PostgresBindings()
        bindings.append(receiver)
        bindings.append(packageSha256)
        return try await connection.rows(
            PostgresQuery(unsafeSQL: "SELECT \(Self.receivedColumns) FROM receivedPackage WHERE receiverCode = $1 AND packageSha256 = $2", binds: bindings),
            logger: logger, Self.receivedRow).first
    }

    public func receivedPackages() async throws -> [ReceivedPackage] {
        try await withConnection { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.receivedColumns) FROM receivedPackage ORDER BY id DESC"), logger: self.logger, Self.receivedRow)
        }
    }

    /// The decisions `receiver` took, newest first.
    public func receivedPackages(receiver: String) async throws -> [ReceivedPackage] {
        var bindings = PostgresBindings()
        bindings.append(receiver)
        return try await withConnection { connection in
            try await connection.rows(
                PostgresQuery(unsafeSQL: "SELECT \(Self.receivedColumns) FROM receivedPackage WHERE receiverCode = $1 ORDER BY id DESC", binds: bindings),
                logger: self.logger, Self.receivedRow)
        }
    }

    /// The decisions `receiver` took on packages with this TransferId, oldest first.
    public func receivedPackages(receiver: String, transferId: String) async throws -> [ReceivedPackage] {
        var bindings = PostgresBindings()
        bindings.append(receiver)
        bindings.append(transferId)
        return try await withConnection { connection in
            try await connection.rows(
                PostgresQuery(unsafeSQL: "SELECT \(Self.receivedColumns) FROM receivedPackage WHERE receiverCode = $1 AND transferId = $2 ORDER BY id", binds: bindings),
                logger: self.logger, Self.receivedRow)
        }
    }

    /// One transaction under the receiver's advisory lock: two nodes importing packages for
    /// one receiver decide one at a time, so the same bytes (or the same TransferId) are never
    /// decided twice.
    public func decidePackage<Value>(
        receiver: String, packageSha256: String?, transferId: String?,
        _ decide: (_ earlier: ReceivedPackage?, _ transferIdDecided: Bool) throws -> (PackageDecision, Value)
    ) async throws -> (value: Value, caseId: Int64?) {
        var value: Value?
        let caseId = try await transaction { connection -> Int64? in
            try await connection.run("SELECT pg_advisory_xact_lock(\(LockSpace.receiver.rawValue), hashtext(\(receiver)))", logger: self.logger)
            var earlier: ReceivedPackage?
            if let packageSha256 { earlier = try await self.receivedPackage(receiver: receiver, packageSha256: packageSha256, connection) }
            var decided = false
            if let transferId {
                decided = try await connection.rows(
                    "SELECT EXISTS (SELECT 1 FROM receivedPackage WHERE receiverCode = \(receiver) AND transferId = \(transferId))",
                    logger: self.logger, { try $0.next(Bool.self) }).first ?? false
            }
            let (decision, made) = try decide(earlier, decided)
            value = made
            guard case .record(let accepted, let received) = decision else { return nil }
            var caseId: Int64?
            if let accepted {
                switch try await self.insert(accepted.record, sourceXML: accepted.sourceXML, sourceName: accepted.sourceName, now: accepted.now, holders: accepted.holders, connection) {
                case .stored(let id, _), .alreadyStored(let id): caseId = id
                }
                for document in accepted.documents {
                    try await self.insertCaseDocument(document, caseId: caseId!, connection)
                }
            }
            if let row = received {
                try await connection.run(
                    """
                    INSERT INTO receivedPackage (receiverCode, packageSha256, transferId, decision, reasons, caseId, decidedAt, receiptXML,
                        senderCode, kind, personRef)
                    VALUES (\(row.receiverCode), \(row.packageSha256), \(row.transferId), \(row.decision), \(row.reasons), \(caseId), \(row.decidedAt), \(row.receiptXML),
                        \(row.senderCode), \(row.kind), \(row.personRef))
                    """, logger: self.logger)
            }
            return caseId
        }
        return (value!, caseId)
    }
}
