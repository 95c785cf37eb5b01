import GRDB

extension CaseStore {
    /// The statements of one page of the case list, with their arguments.
    struct CasePageStatements {
        /// The page's case ids in order; with `COUNT(*) OVER ()` as a second column when `windowCounted`.
        var page: String
        /// The number of cases that match, when neither `caseCount` nor the page tells it.
        var count: String
        var arguments: StatementArguments
        /// The page's rows carry the total (a search of one organisation: its matches are few).
        var windowCounted: Bool
        /// The total is the organisation's row of `caseCount` (one organisation, no filter).
        var counterRow: String?
    }

    /// The ids (`caseId`) of the cases a search matches, as one SELECT, or nil when the query
    /// searches nothing: the full-text index for the words (`caseSearch`, v9-search-index: every
    /// word a prefix, all required) and the date of birth's index, INTERSECTed. Each row is one
    /// case. (The PostgreSQL engine does the same with a `tsvector` under a GIN index:
    /// `PostgresStore.matchingCases`.) `bind` binds a value and answers its placeholder.
    static func matchingCases(_ query: CaseListQuery, bind: (String) -> String) -> String? {
        var parts: [String] = []
        if CaseListWords.matchesNothing(query.text) {
            parts.append("SELECT rowid AS caseId FROM caseSearch WHERE 0")
        } else if let match = CaseListWords.searchMatch(query.text) {
            parts.append("SELECT rowid AS caseId FROM caseSearch WHERE caseSearch MATCH \(bind(match))")
        }
        if let dateOfBirth = query.dateOfBirth, !dateOfBirth.isEmpty {
            parts.append("SELECT id AS caseId FROM caseRecord WHERE dateOfBirth = \(bind(dateOfBirth))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " INTERSECT ")
    }

    /// Read from the holder rows (`v7-list-indexes`): the organisation and every sort key are in
    /// one index, so a page is an index walk and the unfiltered total one row of `caseCount`; a
    /// search finds its cases first (`matchingCases`: the full-text index, the date of birth's), then
    /// looks up the holder rows of those cases only (`CROSS JOIN` keeps SQLite from walking the
    /// organisation's rows instead), counted in the same pass as its page is sorted.
    static func casePageStatements(_ query: CaseListQuery, scope: OrganisationScope) -> CasePageStatements {
        let marks = Array(repeating: "?", count: scope.codes.count).joined(separator: ", ")
        var arguments: StatementArguments = []
        let matching = matchingCases(query) { value in
            arguments += [value]
            return "?"
        }
        let source = matching.map { "(\($0)) AS m CROSS JOIN caseHolder h ON h.caseId = m.caseId" } ?? "caseHolder h"
        var conditions = ["h.organisationCode IN (\(marks))"]
        arguments += StatementArguments(scope.codes)
        if let framework = query.framework {
            conditions.append("h.framework = ?")
            arguments += [framework.rawValue]
        }
        if let status = query.transferStatus, !status.isEmpty {
            conditions.append("h.statusKey = ?")
            arguments += [status == "none" ? "" : status]
        }
        let keys = query.sort.listOrder(descending: query.descending)
        let pageSize = min(max(1, query.pageSize), 500)
        let offset = (max(1, query.page) - 1) * pageSize
        let filter = "FROM \(source) WHERE " + conditions.joined(separator: " AND ")
        let single = scope.codes.count == 1
        // Several organisations may hold one case: counted and listed once.
        let windowCounted = single && matching != nil
        let page = windowCounted
            ? "SELECT h.caseId, COUNT(*) OVER () \(filter) ORDER BY \(keys.order) LIMIT \(pageSize) OFFSET \(offset)"
            : "SELECT \(single ? "" : "DISTINCT ")h.caseId, \(keys.columns) \(filter) ORDER BY \(keys.order) LIMIT \(pageSize) OFFSET \(offset)"
        return CasePageStatements(
            page: page, count: "SELECT \(single ? "COUNT(*)" : "COUNT(DISTINCT h.caseId)") \(filter)", arguments: arguments,
            windowCounted: windowCounted, counterRow: single && conditions.count == 1 && matching == nil ? scope.codes[0] : nil)
    }

    /// A page of the cases `scope` may see, with the total that match (`casePageStatements`).
    public func casePage(_ query: CaseListQuery, scope: OrganisationScope) throws(StoreError) -> CaseListResult {
        guard !scope.codes.isEmpty else { return CaseListResult(total: 0, cases: []) }
        let statements = Self.casePageStatements(query, scope: scope)
        return try read { db in
            let rows = try Row.fetchAll(db, sql: statements.page, arguments: statements.arguments)
            let ids: [Int64] = rows.map { $0[0] }
            var total: Int?
            if let code = statements.counterRow {
                total = try Int.fetchOne(db, sql: "SELECT cases FROM caseCount WHERE organisationCode = ?", arguments: [code]) ?? 0
            } else if statements.windowCounted {
                total = rows.first.map { $0[1] }
            }
            if total == nil {
                total = try Int.fetchOne(db, sql: statements.count, arguments: statements.arguments) ?? 0
            }
            return CaseListResult(total: total ?? 0, cases: try Self.summaries(db, ids))
        }
    }

    /// What SQLite does for `casePage`: `EXPLAIN QUERY PLAN` of its page and count statements,
    /// one detail a line (for tests that hold the list to its indexes).
    package func casePagePlan(_ query: CaseListQuery, scope: OrganisationScope) throws(StoreError) -> (page: [String], count: [String]) {
        let statements = Self.casePageStatements(query, scope: scope)
        return try read { db in
            let plan = { (sql: String) throws -> [String] in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: statements.arguments).map { $0["detail"] }
            }
            return (try plan(statements.page), try plan(statements.count))
        }
    }

    /// The summaries of these cases, in this order.
    static func summaries(_ db: Database, _ ids: [Int64]) throws -> [CaseSummary] {
        guard !ids.isEmpty else { return [] }
        let rows = try Row.fetchAll(db, sql: "SELECT \(summaryColumns) FROM caseRecord WHERE caseRecord.id IN (\(ids.map(String.init).joined(separator: ", ")))")
        let byId = Dictionary(rows.map(summary).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byId[$0] }
    }
}
