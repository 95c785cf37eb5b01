public import CaseRecord
public import Foundation
public import GRDB

/// What storing one document did.
public enum StoreOutcome: Sendable, Equatable {
    /// Stored as a new case.
    case stored(caseId: Int64, personId: Int64)
    /// The same bytes were stored before: nothing changed.
    case alreadyStored(caseId: Int64)
}

/// A row of the case list (no free text; names only for display to authorised users).
public struct CaseSummary: Sendable, Codable, Hashable {
    public var id: Int64
    public var personId: Int64
    public var framework: String
    public var documentId: String
    public var organisationCode: String
    public var personRef: String?
    public var pnc: String?
    public var familyName: String
    public var givenNames: String
    public var stage: String
    public var status: String
    public var transferStatus: String?
    public var assessedOn: String
    public var importedAt: String
    public var sourceName: String

    public init(
        id: Int64, personId: Int64, framework: String, documentId: String, organisationCode: String, personRef: String?,
        pnc: String?, familyName: String, givenNames: String, stage: String, status: String, transferStatus: String?,
        assessedOn: String, importedAt: String, sourceName: String
    ) {
        self.id = id
        self.personId = personId
        self.framework = framework
        self.documentId = documentId
        self.organisationCode = organisationCode
        self.personRef = personRef
        self.pnc = pnc
        self.familyName = familyName
        self.givenNames = givenNames
        self.stage = stage
        self.status = status
        self.transferStatus = transferStatus
        self.assessedOn = assessedOn
        self.importedAt = importedAt
        self.sourceName = sourceName
    }
}

/// Filters for the case list.
public struct CaseQuery: Sendable {
    /// Matches name, PNC or person id (case-insensitive substring).
    public var text: String?
    public var framework: Framework?
    public var transferStatus: String?
    public var limit: Int

    public init(text: String? = nil, framework: Framework? = nil, transferStatus: String? = nil, limit: Int = 500) {
        self.text = text
        self.framework = framework
        self.transferStatus = transferStatus
        self.limit = limit
    }
}

extension CaseStore {
    /// Stores a case with its source bytes, grouping it under the person it describes (the
    /// contract's matching rule). Idempotent by the source's SHA-256: the same document twice
    /// is stored once. One transaction.
    /// `holders`: the organisations the case is stored for (default: the one named in the document).
    public func store(_ record: CaseRecord, sourceXML: Data, sourceName: String, now: Date = Date(), holders: [String]? = nil) throws(StoreError) -> StoreOutcome {
        do {
            return try database.write { db -> StoreOutcome in
                try Self.insert(record, sourceXML: sourceXML, sourceName: sourceName, now: now, db: db, holders: holders)
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(code: "STORE-ERROR", message: "\(error)", path: path)
        }
    }

    /// Stores many documents in one transaction (group commit), each as `store(_:...)` would.
    public func store(_ documents: [StoreRequest], now: Date = Date()) throws(StoreError) -> [StoreOutcome] {
        guard !documents.isEmpty else { return [] }
        do {
            return try database.write { db in
                try documents.map { try Self.insert($0.record, sourceXML: $0.sourceXML, sourceName: $0.sourceName, now: now, db: db, holders: $0.holders, prepared: $0.prepared) }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(code: "STORE-ERROR", message: "\(error)", path: path)
        }
    }

    /// The insert itself, for callers that already hold a transaction (transfers, batch runs).
    /// `holders`: the organisations that hold the case (default: the one named in the document);
    /// storing the same document again for another organisation adds that holder.
    /// `prepared`: the row's blobs made ahead (`StoreRequest.prepare()`), else made here.
    package static func insert(_ record: CaseRecord, sourceXML: Data, sourceName: String, now: Date, db: Database, holders: [String]? = nil, prepared: PreparedBlobs? = nil) throws -> StoreOutcome {
        let holders = holders ?? [record.source.organisation.code]
        // Cached statements throughout: a group commit runs them for every case.
        if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM caseRecord WHERE sha256 = ?"), arguments: [record.source.sha256]) {
            try addHolders(db, caseId: existing, organisations: holders)
            return .alreadyStored(caseId: existing)
        }
        let timestamp = Self.batchTimestamp(now)
        let matchKey = record.person.matchKey
        let pnc = record.person.pnc
        // Same person: PNCs match, or (either lacks a PNC) names and date of birth match.
        let personId: Int64
        if let pnc, let byPNC = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM person WHERE pnc = ? ORDER BY id LIMIT 1"), arguments: [pnc]) {
            personId = byPNC
        } else if let byName = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM person WHERE matchKey = ? AND (pnc IS NULL OR ? IS NULL) ORDER BY id LIMIT 1"),
            arguments: [matchKey, pnc])
        {
            personId = byName
            if let pnc {
                try db.cachedStatement(sql: "UPDATE person SET pnc = ? WHERE id = ? AND pnc IS NULL").execute(arguments: [pnc, byName])
            }
        } else {
            try db.cachedStatement(sql: "INSERT INTO person (pnc, matchKey, createdAt) VALUES (?, ?, ?)").execute(arguments: [pnc, matchKey, timestamp])
            personId = db.lastInsertedRowID
        }
        let blobs = try PreparedBlobs.of(prepared, record: record, sourceXML: sourceXML)
        try db.cachedStatement(
            sql: """
                INSERT INTO caseRecord (personId, sha256, framework, documentId, organisationCode, personRef, pnc,
                    familyName, givenNames, stage, status, transferStatus, assessedOn, exportedAt, importedAt,
                    sourceName, recordJSON, sourceXML, sourceCompression)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [
                personId, record.source.sha256, record.source.format.rawValue, record.source.documentId,
                record.source.organisation.code, record.person.id, pnc, record.person.familyName,
                record.person.givenNames, record.assessment.stage, record.assessment.status,
                record.assessment.transferStatus?.rawValue, record.assessment.assessedOn, record.source.exportedAt,
                timestamp, sourceName, blobs.recordJSON, blobs.source.bytes, blobs.source.compression,
            ])
        let caseId = db.lastInsertedRowID
        try addSearchWords(db, caseId: caseId, familyName: record.person.familyName, givenNames: record.person.givenNames, pnc: pnc, personRef: record.person.id)
        try addHolders(db, caseId: caseId, organisations: holders)
        return .stored(caseId: caseId, personId: personId)
    }

    /// The case list, newest assessment first.
    public func cases(_ query: CaseQuery = .init()) throws(StoreError) -> [CaseSummary] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            conditions.append("(familyName LIKE ? OR givenNames LIKE ? OR pnc LIKE ? OR personRef LIKE ? OR (givenNames || ' ' || familyName) LIKE ?)")
            let like = "%\(text)%"
            arguments += [like, like, like, like, like]
        }
        if let framework = query.framework {
            conditions.append("framework = ?")
            arguments += [framework.rawValue]
        }
        if let status = query.transferStatus, !status.isEmpty {
            conditions.append(status == "none" ? "transferStatus IS NULL" : "transferStatus = ?")
            if status != "none" { arguments += [status] }
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = """
            SELECT id, personId, framework, documentId, organisationCode, personRef, pnc, familyName, givenNames,
                   stage, status, transferStatus, assessedOn, importedAt, sourceName
            FROM caseRecord \(filter) ORDER BY assessedOn DESC, id DESC LIMIT \(max(1, query.limit))
            """
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.summary)
        }
    }

    /// The other cases of the same person, newest first.
    public func cases(ofPerson personId: Int64) throws(StoreError) -> [CaseSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, personId, framework, documentId, organisationCode, personRef, pnc, familyName, givenNames,
                       stage, status, transferStatus, assessedOn, importedAt, sourceName
                FROM caseRecord WHERE personId = ? ORDER BY assessedOn DESC, id DESC
                """, arguments: [personId]).map(Self.summary)
        }
    }

    /// One stored case record, decoded.
    public func caseRecord(id: Int64) throws(StoreError) -> (summary: CaseSummary, record: CaseRecord)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, personId, framework, documentId, organisationCode, personRef, pnc, familyName, givenNames,
                       stage, status, transferStatus, assessedOn, importedAt, sourceName, recordJSON
                FROM caseRecord WHERE id = ?
                """, arguments: [id])
            else { return nil }
            let data: Data = row["recordJSON"]
            return (Self.summary(row), try CaseRecord.decode(data))
        }
    }

    /// The stored source document, byte for byte, with its SHA-256.
    public func sourceDocument(caseId: Int64) throws(StoreError) -> (bytes: Data, sha256: String, framework: String)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT sourceXML, sourceCompression, sha256, framework FROM caseRecord WHERE id = ?", arguments: [caseId]).map {
                (try SourceCompression.unpack($0["sourceXML"], $0["sourceCompression"], caseId: caseId, path: path), $0["sha256"], $0["framework"])
            }
        }
    }

    /// Counts, for summaries and tests.
    public func counts() throws(StoreError) -> (cases: Int, people: Int) {
        try read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM caseRecord") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM person") ?? 0)
        }
    }

    /// The case stored from these source bytes, if any.
    public func caseId(sha256: String) throws(StoreError) -> Int64? {
        try read { db in
            if readOnly, try !db.tableExists("caseRecord") { return nil }
            return try Int64.fetchOne(db, sql: "SELECT id FROM caseRecord WHERE sha256 = ?", arguments: [sha256])
        }
    }

    /// Runs a read, mapping failures to `StoreError`.
    public func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(code: "STORE-ERROR", message: "\(error)", path: path)
        }
    }

    static func summary(_ row: Row) -> CaseSummary {
        CaseSummary(
            id: row["id"], personId: row["personId"], framework: row["framework"], documentId: row["documentId"],
            organisationCode: row["organisationCode"], personRef: row["personRef"], pnc: row["pnc"],
            familyName: row["familyName"], givenNames: row["givenNames"], stage: row["stage"], status: row["status"],
            transferStatus: row["transferStatus"], assessedOn: row["assessedOn"], importedAt: row["importedAt"],
            sourceName: row["sourceName"])
    }
}
