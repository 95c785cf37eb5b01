public import CaseRecord
public import CaseStore
public import Foundation
import PostgresNIO

// Seen by a caller: the organisation scope is in the query (`caseHolder`), so a case of
// another organisation is never read, counted or told apart from a missing one.
extension PostgresStore {
    /// `caseRecord.id IN (held by these organisations)`, its codes bound as one array.
    static func visible(_ scope: OrganisationScope, _ bind: Binder) -> String {
        guard !scope.codes.isEmpty else { return "false" }
        return "EXISTS (SELECT 1 FROM caseHolder h WHERE h.caseId = caseRecord.id AND h.organisationCode = ANY(\(bind(scope.codes))))"
    }

    /// `%`, `_` and `\` match themselves.
    static func escapeLike(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    public func casePage(_ query: CaseListQuery, scope: OrganisationScope) async throws -> CaseListResult {
        let bind = Binder()
        var conditions = [Self.visible(scope, bind)]
        let words = (query.text ?? "").split(whereSeparator: \.isWhitespace).map(String.init).prefix(8)
        for word in words {
            let like = bind("%" + Self.escapeLike(word) + "%")
            conditions.append("""
                (familyName ILIKE \(like) ESCAPE '\\' OR givenNames ILIKE \(like) ESCAPE '\\' OR pnc ILIKE \(like) ESCAPE '\\' OR personRef ILIKE \(like) ESCAPE '\\')
                """)
        }
        if let dateOfBirth = query.dateOfBirth, !dateOfBirth.isEmpty {
            conditions.append("dateOfBirth = \(bind(dateOfBirth))")
        }
        if let framework = query.framework {
            conditions.append("framework = \(bind(framework.rawValue))")
        }
        if let status = query.transferStatus, !status.isEmpty {
            conditions.append(status == "none" ? "transferStatus IS NULL" : "transferStatus = \(bind(status))")
        }
        let direction = query.descending ? "DESC" : "ASC"
        // As SQLite's NOCASE: ASCII letters folded, then bytewise.
        let order = switch query.sort {
        case .name: "lower(familyName) COLLATE \"C\" \(direction), lower(givenNames) COLLATE \"C\" \(direction), caseRecord.id \(direction)"
        case .assessed: "assessedOn \(direction), caseRecord.id \(direction)"
        case .stage: "stage \(direction), assessedOn DESC, caseRecord.id \(direction)"
        case .status: "COALESCE(transferStatus, '') \(direction), assessedOn DESC, caseRecord.id \(direction)"
        }
        let pageSize = min(max(1, query.pageSize), 500)
        let offset = (max(1, query.page) - 1) * pageSize
        let filter = "WHERE " + conditions.joined(separator: " AND ")
        let count = bind.query("SELECT COUNT(*) FROM caseRecord \(filter)")
        let page = bind.query("SELECT \(Self.summaryColumns) FROM caseRecord \(filter) ORDER BY \(order) LIMIT \(pageSize) OFFSET \(offset)")
        return try await withConnection { connection in
            let total = try await connection.rows(count, logger: self.logger) { try $0.next(Int64.self) }.first ?? 0
            let cases = try await connection.rows(page, logger: self.logger, Self.summary)
            return CaseListResult(total: Int(total), cases: cases)
        }
    }

    public func caseRecord(id: Int64, scope: OrganisationScope) async throws -> (summary: CaseSummary, record: CaseRecord)? {
        let bind = Binder()
        let sql = "SELECT \(Self.summaryColumns), recordJSON FROM caseRecord WHERE caseRecord.id = \(bind(id)) AND \(Self.visible(scope, bind))"
        return try await caseRecord(bind.query(sql), id: id)
    }

    public func cases(ofPerson personId: Int64, scope: OrganisationScope) async throws -> [CaseSummary] {
        let bind = Binder()
        let sql = "SELECT \(Self.summaryColumns) FROM caseRecord WHERE personId = \(bind(personId)) AND \(Self.visible(scope, bind)) ORDER BY assessedOn DESC, caseRecord.id DESC"
        let statement = bind.query(sql)
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.summary) }
    }

    public func sourceDocument(caseId: Int64, scope: OrganisationScope) async throws -> (bytes: Data, sha256: String, framework: String)? {
        let bind = Binder()
        let statement = bind.query("SELECT sourceXML, sha256, framework FROM caseRecord WHERE caseRecord.id = \(bind(caseId)) AND \(Self.visible(scope, bind))")
        return try await withConnection { connection in
            try await connection.rows(statement, logger: self.logger) { (try $0.next(Data.self), try $0.next(String.self), try $0.next(String.self)) }.first
        }
    }

    public func caseDocuments(caseId: Int64, scope: OrganisationScope) async throws -> [CaseDocument] {
        let bind = Binder()
        let statement = bind.query("""
            SELECT d.id, d.caseId, d.fileName, d.mediaType, d.sha256, d.isNOCO, d.transferId
            FROM caseDocument d JOIN caseRecord ON caseRecord.id = d.caseId
            WHERE d.caseId = \(bind(caseId)) AND \(Self.visible(scope, bind)) ORDER BY d.id
            """)
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.document) }
    }

    public func caseDocumentBytes(caseId: Int64, documentId: Int64, scope: OrganisationScope) async throws -> (document: CaseDocument, bytes: Data)? {
        let bind = Binder()
        let statement = bind.query("""
            SELECT d.id, d.caseId, d.fileName, d.mediaType, d.sha256, d.isNOCO, d.transferId, d.bytes
            FROM caseDocument d JOIN caseRecord ON caseRecord.id = d.caseId
            WHERE d.caseId = \(bind(caseId)) AND d.id = \(bind(documentId)) AND \(Self.visible(scope, bind))
            """)
        return try await withConnection { connection in
            try await connection.rows(statement, logger: self.logger) { cells in (try Self.document(&cells), try cells.next(Data.self)) }.first
        }
    }
}
