public import CaseRecord
public import Foundation
import GRDB

/// The organisations whose cases a caller may see. There is no "every case" scope: a query
/// that reads cases for a person names the organisations, and the SQL carries them, so a case
/// of another organisation is never read, counted or told apart from a missing one.
public struct OrganisationScope: Sendable, Hashable {
    public var codes: [String]

    public init(_ codes: [String]) {
        self.codes = Array(Set(codes)).sorted()
    }

    /// `caseRecord.id IN (held by these organisations)`, with its arguments.
    var condition: (sql: String, arguments: StatementArguments) {
        guard !codes.isEmpty else { return ("0", []) }
        let marks = Array(repeating: "?", count: codes.count).joined(separator: ", ")
        return ("EXISTS (SELECT 1 FROM caseHolder h WHERE h.caseId = caseRecord.id AND h.organisationCode IN (\(marks)))",
                StatementArguments(codes))
    }
}

/// How the case list is ordered. Every order ends with the case id, so it is stable.
public enum CaseSort: String, Sendable, CaseIterable {
    case name, assessed, stage, status

    /// The holder row's columns a list order reads, and the order: every one ends with the
    /// case id, so it is stable; each is one of `caseHolder`'s indexes, walked either way.
    package func listOrder(descending: Bool) -> (columns: String, order: String) {
        let direction = descending ? "DESC" : "ASC"
        return switch self {
        case .name: ("h.familyKey, h.givenKey", "h.familyKey \(direction), h.givenKey \(direction), h.caseId \(direction)")
        case .assessed: ("h.assessedOn", "h.assessedOn \(direction), h.caseId \(direction)")
        case .stage: ("h.stage, h.assessedOn", "h.stage \(direction), h.assessedOn DESC, h.caseId \(direction)")
        case .status: ("h.statusKey, h.assessedOn", "h.statusKey \(direction), h.assessedOn DESC, h.caseId \(direction)")
        }
    }
}

/// One page of the case list: filters, order and page.
public struct CaseListQuery: Sendable, Hashable {
    /// Words that must each begin a word of the case's names (given or family, any order, a
    /// hyphenated name's parts too), PNC or person id (`CaseListWords`). `%` and `_` are literal.
    public var text: String?
    /// `YYYY-MM-DD`.
    public var dateOfBirth: String?
    public var framework: Framework?
    /// A transfer status, or `none` for cases not in a transfer.
    public var transferStatus: String?
    public var sort: CaseSort
    public var descending: Bool
    /// From 1.
    public var page: Int
    public var pageSize: Int

    public init(
        text: String? = nil, dateOfBirth: String? = nil, framework: Framework? = nil, transferStatus: String? = nil,
        sort: CaseSort = .assessed, descending: Bool = true, page: Int = 1, pageSize: Int = 50
    ) {
        self.text = text
        self.dateOfBirth = dateOfBirth
        self.framework = framework
        self.transferStatus = transferStatus
        self.sort = sort
        self.descending = descending
        self.page = page
        self.pageSize = pageSize
    }
}

/// A page of cases and the true number of cases that match.
public struct CaseListResult: Sendable, Hashable {
    public var total: Int
    public var cases: [CaseSummary]

    public init(total: Int, cases: [CaseSummary]) {
        self.total = total
        self.cases = cases
    }
}

extension CaseStore {
    static let summaryColumns = """
        caseRecord.id, personId, framework, documentId, organisationCode, personRef, pnc, familyName, givenNames,
        stage, status, transferStatus, assessedOn, importedAt, sourceName
        """

    /// A page of the cases `scope` may see, with the total that match. Read from the holder
    /// rows (`v7-list-indexes`): the organisation and every sort key are in one index, so a
    /// page is an index walk and the unfiltered total one row of `caseCount`; a search is the
    /// intersection of index ranges of `caseWord` (and the date of birth's index), counted in
    /// the same pass as its page is sorted.
    public func casePage(_ query: CaseListQuery, scope: OrganisationScope) throws(StoreError) -> CaseListResult {
        guard !scope.codes.isEmpty else { return CaseListResult(total: 0, cases: []) }
        let marks = Array(repeating: "?", count: scope.codes.count).joined(separator: ", ")
        var conditions = ["h.organisationCode IN (\(marks))"]
        var arguments = StatementArguments(scope.codes)
        var candidates: [String] = []
        var candidateArguments: StatementArguments = []
        for word in CaseListWords.searchWords(query.text) {
            let range = CaseListWords.range(word)
            candidates.append("SELECT caseId FROM caseWord WHERE word >= ? AND word < ?")
            candidateArguments += [range.lower, range.upper]
        }
        if let dateOfBirth = query.dateOfBirth, !dateOfBirth.isEmpty {
            candidates.append("SELECT id FROM caseRecord WHERE dateOfBirth = ?")
            candidateArguments += [dateOfBirth]
        }
        if !candidates.isEmpty {
            conditions.append("h.caseId IN (\(candidates.joined(separator: " INTERSECT ")))")
            arguments += candidateArguments
        }
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
        let filter = "WHERE " + conditions.joined(separator: " AND ")
        // Several organisations may hold one case: counted and listed once.
        let (count, distinct) = scope.codes.count == 1 ? ("COUNT(*)", "") : ("COUNT(DISTINCT h.caseId)", "DISTINCT ")
        let counted = scope.codes.count == 1 && conditions.count == 1
        let searched = !candidates.isEmpty
        let bound = arguments
        return try read { db in
            var total: Int?
            if counted {
                total = try Int.fetchOne(db, sql: "SELECT cases FROM caseCount WHERE organisationCode = ?", arguments: [scope.codes[0]]) ?? 0
            }
            var ids: [Int64] = []
            if searched && distinct.isEmpty {
                // The matches are few and sorted anyway: counted as they are sorted.
                let rows = try Row.fetchAll(
                    db, sql: "SELECT h.caseId, COUNT(*) OVER () FROM caseHolder h \(filter) ORDER BY \(keys.order) LIMIT \(pageSize) OFFSET \(offset)",
                    arguments: bound)
                ids = rows.map { $0[0] }
                total = rows.first.map { $0[1] }
            } else {
                ids = try Int64.fetchAll(
                    db, sql: "SELECT \(distinct)h.caseId, \(keys.columns) FROM caseHolder h \(filter) ORDER BY \(keys.order) LIMIT \(pageSize) OFFSET \(offset)",
                    arguments: bound)
            }
            let cases = try Self.summaries(db, ids)
            return CaseListResult(total: try total ?? Int.fetchOne(db, sql: "SELECT \(count) FROM caseHolder h \(filter)", arguments: bound) ?? 0, cases: cases)
        }
    }

    /// The summaries of these cases, in this order.
    static func summaries(_ db: Database, _ ids: [Int64]) throws -> [CaseSummary] {
        guard !ids.isEmpty else { return [] }
        let rows = try Row.fetchAll(db, sql: "SELECT \(summaryColumns) FROM caseRecord WHERE caseRecord.id IN (\(ids.map(String.init).joined(separator: ", ")))")
        let byId = Dictionary(rows.map(summary).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byId[$0] }
    }

    /// One case record, if `scope` may see it (nil exactly as for a missing id).
    public func caseRecord(id: Int64, scope: OrganisationScope) throws(StoreError) -> (summary: CaseSummary, record: CaseRecord)? {
        let visible = scope.condition
        return try read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.summaryColumns), recordJSON FROM caseRecord WHERE caseRecord.id = ? AND \(visible.sql)",
                arguments: [id] + visible.arguments)
            else { return nil }
            let data: Data = row["recordJSON"]
            return (Self.summary(row), try CaseRecord.decode(data))
        }
    }

    /// The other cases of a person that `scope` may see, newest first.
    public func cases(ofPerson personId: Int64, scope: OrganisationScope) throws(StoreError) -> [CaseSummary] {
        let visible = scope.condition
        return try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.summaryColumns) FROM caseRecord WHERE personId = ? AND \(visible.sql) ORDER BY assessedOn DESC, caseRecord.id DESC",
                arguments: [personId] + visible.arguments).map(Self.summary)
        }
    }

    /// The stored source document, if `scope` may see its case.
    public func sourceDocument(caseId: Int64, scope: OrganisationScope) throws(StoreError) -> (bytes: Data, sha256: String, framework: String)? {
        let visible = scope.condition
        return try read { db in
            try Row.fetchOne(
                db, sql: "SELECT sourceXML, sha256, framework FROM caseRecord WHERE caseRecord.id = ? AND \(visible.sql)",
                arguments: [caseId] + visible.arguments).map { ($0["sourceXML"], $0["sha256"], $0["framework"]) }
        }
    }

    /// The package files of a case that `scope` may see (empty otherwise).
    public func caseDocuments(caseId: Int64, scope: OrganisationScope) throws(StoreError) -> [CaseDocument] {
        let visible = scope.condition
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.id, d.caseId, d.fileName, d.mediaType, d.sha256, d.isNOCO, d.transferId
                FROM caseDocument d JOIN caseRecord ON caseRecord.id = d.caseId
                WHERE d.caseId = ? AND \(visible.sql) ORDER BY d.id
                """, arguments: [caseId] + visible.arguments).map(Self.caseDocument)
        }
    }

    /// One package file's bytes, if `scope` may see its case.
    public func caseDocumentBytes(caseId: Int64, documentId: Int64, scope: OrganisationScope) throws(StoreError) -> (document: CaseDocument, bytes: Data)? {
        let visible = scope.condition
        return try read { db in
            try Row.fetchOne(db, sql: """
                SELECT d.id, d.caseId, d.fileName, d.mediaType, d.sha256, d.isNOCO, d.transferId, d.bytes
                FROM caseDocument d JOIN caseRecord ON caseRecord.id = d.caseId
                WHERE d.caseId = ? AND d.id = ? AND \(visible.sql)
                """, arguments: [caseId, documentId] + visible.arguments).map { (Self.caseDocument($0), $0["bytes"]) }
        }
    }

    static func caseDocument(_ row: Row) -> CaseDocument {
        CaseDocument(id: row["id"], caseId: row["caseId"], fileName: row["fileName"], mediaType: row["mediaType"], sha256: row["sha256"], isNOCO: row["isNOCO"], transferId: row["transferId"])
    }
}
