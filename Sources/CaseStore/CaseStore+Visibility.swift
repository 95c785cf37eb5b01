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
                db, sql: "SELECT sourceXML, sourceCompression, sha256, framework FROM caseRecord WHERE caseRecord.id = ? AND \(visible.sql)",
                arguments: [caseId] + visible.arguments).map {
                    (try SourceCompression.unpack($0["sourceXML"], $0["sourceCompression"], caseId: caseId, path: path), $0["sha256"], $0["framework"])
                }
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
