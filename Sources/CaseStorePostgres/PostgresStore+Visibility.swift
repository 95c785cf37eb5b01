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

    /// The ids of the cases a search matches, as one SELECT, or nil when the query searches
    /// nothing: the full-text index for the words (`caseSearch`, v9-search-index: each word a
    /// prefix, all required) and the date of birth's index, INTERSECTed; one row a case.
    static func matchingCases(_ query: CaseListQuery, _ bind: Binder) -> String? {
        var parts: [String] = []
        let words = CaseListWords.searchWords(query.text)
        if CaseListWords.matchesNothing(query.text) {
            parts.append("SELECT caseId FROM caseSearch WHERE false")
        } else if !words.isEmpty {
            let match = words.map { "'\(CaseListWords.searchToken($0))':*" }.joined(separator: " & ")
            parts.append("SELECT caseId FROM caseSearch WHERE words @@ \(bind(match))::tsquery")
        }
        if let dateOfBirth = query.dateOfBirth, !dateOfBirth.isEmpty {
            parts.append("SELECT id AS caseId FROM caseRecord WHERE dateOfBirth = \(bind(dateOfBirth))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " INTERSECT ")
    }

    /// A page of the cases `scope` may see, with the total that match, read from the holder
    /// rows and their indexes (`v7-list-indexes`), as on SQLite: a page is an index walk; a
    /// search first finds its cases (`matchingCases`: the full-text index, the date of birth's), then
    /// walks the holder rows of those cases only, counted as its page is sorted. (As two
    /// statements: in one, the planner hashes every holder row of the organisation.) The
    /// unfiltered total of one organisation is `heldCount`.
    public func casePage(_ query: CaseListQuery, scope: OrganisationScope) async throws -> CaseListResult {
        guard !scope.codes.isEmpty else { return CaseListResult(total: 0, cases: []) }
        let pick = Binder()
        let matching = Self.matchingCases(query, pick)
        let keys = query.sort.listOrder(descending: query.descending)
        let pageSize = min(max(1, query.pageSize), 500)
        let offset = (max(1, query.page) - 1) * pageSize
        // Several organisations may hold one case: counted and listed once.
        let single = scope.codes.count == 1
        return try await withConnection { connection in
            let bind = Binder()
            var conditions = [single ? "h.organisationCode = \(bind(scope.codes[0]))" : "h.organisationCode = ANY(\(bind(scope.codes)))"]
            if let matching {
                let ids = try await connection.rows(pick.query(matching), logger: self.logger) { try $0.next(Int64.self) }
                if ids.isEmpty { return CaseListResult(total: 0, cases: []) }
                conditions.append("h.caseId = ANY(\(bind(ids)))")
            }
            if let framework = query.framework {
                conditions.append("h.framework = \(bind(framework.rawValue))")
            }
            if let status = query.transferStatus, !status.isEmpty {
                conditions.append("h.statusKey = \(bind(status == "none" ? "" : status))")
            }
            let filter = "WHERE " + conditions.joined(separator: " AND ")
            let counted = matching != nil && single
            // A search's holder rows are picked first, by case id, then sorted: left to itself the
            // planner walks the organisation's whole sort index in order and filters it (9 ms
            // for 100,000 cases against 1.6 ms).
            let from = matching == nil ? "FROM caseHolder h \(filter)" : "FROM h"
            let picked = matching == nil ? "" : "WITH h AS MATERIALIZED (SELECT * FROM caseHolder h \(filter)) "
            let page = bind.query(picked + (counted
                ? "SELECT h.caseId, COUNT(*) OVER () \(from) ORDER BY \(keys.order) LIMIT \(pageSize) OFFSET \(offset)"
                : "SELECT \(single ? "" : "DISTINCT ")h.caseId, 0::bigint, \(keys.columns) \(from) ORDER BY \(keys.order) LIMIT \(pageSize) OFFSET \(offset)"))
            let rows = try await connection.rows(page, logger: self.logger) { (try $0.next(Int64.self), try $0.next(Int64.self)) }
            var total = counted ? rows.first?.1 : nil
            if single && conditions.count == 1 {
                total = try await self.heldCount(scope.codes[0], connection)
            }
            if total == nil {
                let count = bind.query("SELECT \(single ? "COUNT(*)" : "COUNT(DISTINCT h.caseId)") FROM caseHolder h \(filter)")
                total = try await connection.rows(count, logger: self.logger) { try $0.next(Int64.self) }.first
            }
            let ids = rows.map(\.0)
            guard !ids.isEmpty else { return CaseListResult(total: Int(total ?? 0), cases: []) }
            let summaries = try await connection.rows(
                "SELECT \(unescaped: Self.summaryColumns) FROM caseRecord WHERE caseRecord.id = ANY(\(ids))", logger: self.logger, Self.summary)
            let byId = Dictionary(summaries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return CaseListResult(total: Int(total ?? 0), cases: ids.compactMap { byId[$0] })
        }
    }

    /// The number of cases `organisation` holds: the sum of its `caseCountDelta` rows, which are
    /// folded into one row once there are more than 64 (a GET that writes, as the session touch
    /// does). The fold is one statement: a concurrent reader sums either all the old rows or the
    /// new one, and a writer's uncommitted row is left for a later fold.
    func heldCount(_ organisation: String, _ connection: PostgresConnection) async throws -> Int64 {
        let (sum, rows) = try await connection.rows(
            "SELECT COALESCE(SUM(cases), 0)::bigint, COUNT(*) FROM caseCountDelta WHERE organisationCode = \(organisation)", logger: logger,
            { (try $0.next(Int64.self), try $0.next(Int64.self)) }).first ?? (0, 0)
        if rows > 64 {
            do {
                try await connection.run("""
                    WITH folded AS (DELETE FROM caseCountDelta WHERE organisationCode = \(organisation) RETURNING cases)
                    INSERT INTO caseCountDelta (organisationCode, cases) SELECT \(organisation), SUM(cases) FROM folded HAVING COUNT(*) > 0
                    """, logger: logger)
            } catch {
                // Only an optimisation (another reader was folding the same rows): the sum stands.
            }
        }
        return sum
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
        let statement = bind.query("SELECT sourceXML, sourceCompression, sha256, framework FROM caseRecord WHERE caseRecord.id = \(bind(caseId)) AND \(Self.visible(scope, bind))")
        return try await withConnection { connection in
            try await connection.rows(statement, logger: self.logger) {
                (try $0.next(Data.self), try $0.next(String.self), try $0.next(String.self), try $0.next(String.self))
            }.first
        }.map { (try SourceCompression.unpack($0.0, $0.1, caseId: caseId, path: location), $0.2, $0.3) }
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
