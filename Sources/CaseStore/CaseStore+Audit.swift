import Foundation
public import GRDB

extension CaseStore: AuditTrail {
    public func append(_ event: AuditEvent) async throws {
        try await asyncWrite { db in try Self.appendAudit(db, event) }
    }

    /// Appends inside the caller's transaction (an action and its audit row commit together).
    public static func appendAudit(_ db: Database, _ event: AuditEvent) throws {
        try db.execute(
            sql: """
                INSERT INTO auditEvent (at, actor, accountId, organisationCode, action, caseId, transferId, address, outcome, detail, requestId)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [event.at, event.actor, event.accountId, event.organisationCode, event.action, event.caseId,
                        event.transferId, event.address, event.outcome, event.detail, event.requestId])
    }

    public func auditEvents(_ query: AuditQuery) async throws -> [AuditEvent] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let since = query.since {
            conditions.append("at >= ?")
            arguments += [since]
        }
        if let actor = query.actor {
            conditions.append("actor = ?")
            arguments += [actor]
        }
        if let caseId = query.caseId {
            conditions.append("caseId = ?")
            arguments += [caseId]
        }
        if let organisation = query.organisation {
            conditions.append("organisationCode = ?")
            arguments += [organisation]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM auditEvent \(filter) ORDER BY id LIMIT \(max(1, query.limit))"
        let bound = arguments
        return try await asyncRead { db in
            try Row.fetchAll(db, sql: sql, arguments: bound).map {
                AuditEvent(
                    id: $0["id"], at: $0["at"], actor: $0["actor"], accountId: $0["accountId"],
                    organisationCode: $0["organisationCode"], action: $0["action"], caseId: $0["caseId"],
                    transferId: $0["transferId"], address: $0["address"], outcome: $0["outcome"], detail: $0["detail"],
                    requestId: $0["requestId"])
            }
        }
    }
}
