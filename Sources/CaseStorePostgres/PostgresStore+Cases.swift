public import CaseRecord
public import CaseStore
public import Foundation
import PostgresNIO

extension PostgresStore {
    public func store(_ record: CaseRecord, sourceXML: Data, sourceName: String, now: Date, holders: [String]?) async throws -> StoreOutcome {
        try await transaction { connection in
            try await self.insert(record, sourceXML: sourceXML, sourceName: sourceName, now: now, holders: holders, connection)
        }
    }

    /// Stores many documents in one transaction (group commit). The advisory locks of every
    /// person in the group are taken first, all in key order, so two groups never wait on each
    /// other in a ring; then each document is stored as `store(_:...)` would.
    public func store(_ documents: [StoreRequest], now: Date) async throws -> [StoreOutcome] {
        guard !documents.isEmpty else { return [] }
        return try await transaction { connection in
            try await self.lockPeople(documents.map(\.record), connection)
            var outcomes: [StoreOutcome] = []
            outcomes.reserveCapacity(documents.count)
            for document in documents {
                outcomes.append(try await self.insert(
                    document.record, sourceXML: document.sourceXML, sourceName: document.sourceName, now: now,
                    holders: document.holders, personLocked: true, prepared: document.prepared, connection))
            }
            return outcomes
        }
    }

    /// Takes the advisory locks of every person `records` describe, all in key order (a group's
    /// writer never waits on another in a ring), inside the caller's transaction.
    func lockPeople(_ records: [CaseRecord], _ connection: PostgresConnection) async throws {
        var keys = Set<Int32>()
        for record in records {
            keys.formUnion(try await personLockKeys(record, connection))
        }
        for key in keys.sorted() {
            try await connection.run("SELECT pg_advisory_xact_lock(\(LockSpace.person.rawValue), \(key))", logger: logger)
        }
    }

    /// The advisory lock keys of the person a record describes: its match key, and its PNC when it has one.
    func personLockKeys(_ record: CaseRecord, _ connection: PostgresConnection) async throws -> Set<Int32> {
        let pnc = record.person.pnc
        let keys = try await connection.rows("SELECT hashtext(\("m:" + record.person.matchKey)), hashtext(\("p:" + (pnc ?? "")))", logger: logger) {
            [try $0.next(Int32.self), try $0.next(Int32.self)]
        }.first ?? []
        return Set(pnc == nil ? Array(keys.prefix(1)) : keys)
    }

    /// The insert, inside the caller's transaction. Idempotent by SHA-256 under concurrent
    /// writers: cases about one person (by match key and PNC) are stored one at a time
    /// (advisory locks taken in key order, so two writers never wait on each other in a
    /// ring), and the unique SHA-256 with `ON CONFLICT` is the last word.
    func insert(
        _ record: CaseRecord, sourceXML: Data, sourceName: String, now: Date, holders: [String]?, personLocked: Bool = false, prepared: PreparedBlobs? = nil,
        _ connection: PostgresConnection
    ) async throws -> StoreOutcome {
        let holders = holders ?? [record.source.organisation.code]
        let sha256 = record.source.sha256
        if let existing = try await existingCase(sha256, connection) {
            try await addHolders(caseId: existing, holders, connection)
            return .alreadyStored(caseId: existing)
        }
        let matchKey = record.person.matchKey
        let pnc = record.person.pnc
        if !personLocked {
            try await lockPeople([record], connection)
            // A writer we waited for may have stored these very bytes.
            if let existing = try await existingCase(sha256, connection) {
                try await addHolders(caseId: existing, holders, connection)
                return .alreadyStored(caseId: existing)
            }
        }
        let timestamp = CaseStore.batchTimestamp(now)
        // Same person: PNCs match, or (either lacks a PNC) names and date of birth match.
        var personId: Int64?
        if let pnc {
            personId = try await connection.rows("SELECT id FROM person WHERE pnc = \(pnc) ORDER BY id LIMIT 1", logger: logger) { try $0.next(Int64.self) }.first
        }
        if personId == nil, let byName = try await connection.rows(
            "SELECT id FROM person WHERE matchKey = \(matchKey) AND (pnc IS NULL OR \(pnc)::text IS NULL) ORDER BY id LIMIT 1", logger: logger,
            { try $0.next(Int64.self) }).first
        {
            personId = byName
            if let pnc {
                try await connection.run("UPDATE person SET pnc = \(pnc) WHERE id = \(byName) AND pnc IS NULL", logger: logger)
            }
        }
        let person: Int64
        if let personId {
            person = personId
        } else {
            person = try await connection.rows(
                "INSERT INTO person (pnc, matchKey, createdAt) VALUES (\(pnc), \(matchKey), \(timestamp)) RETURNING id", logger: logger,
                { try $0.next(Int64.self) }).first!
        }
        let blobs = try PreparedBlobs.of(prepared, record: record, sourceXML: sourceXML)
        let json = blobs.recordJSON, stored = blobs.source
        let inserted = try await connection.rows(
            """
            INSERT INTO caseRecord (personId, sha256, framework, documentId, organisationCode, personRef, pnc,
                familyName, givenNames, stage, status, transferStatus, assessedOn, exportedAt, importedAt,
                sourceName, recordJSON, sourceXML, sourceCompression, dateOfBirth)
            VALUES (\(person), \(sha256), \(record.source.format.rawValue), \(record.source.documentId),
                \(record.source.organisation.code), \(record.person.id), \(pnc), \(record.person.familyName),
                \(record.person.givenNames), \(record.assessment.stage), \(record.assessment.status),
                \(record.assessment.transferStatus?.rawValue), \(record.assessment.assessedOn), \(record.source.exportedAt),
                \(timestamp), \(sourceName), \(json), \(stored.bytes), \(stored.compression), \(record.person.dateOfBirth))
            ON CONFLICT (sha256) DO NOTHING
            RETURNING id
            """, logger: logger, { try $0.next(Int64.self) }).first
        guard let caseId = inserted else {
            // Stored by a writer the locks did not order (a hash collision of keys): theirs stands.
            if personId == nil {
                try await connection.run("DELETE FROM person WHERE id = \(person) AND NOT EXISTS (SELECT 1 FROM caseRecord WHERE personId = \(person))", logger: logger)
            }
            let existing = try await existingCase(sha256, connection)!
            try await addHolders(caseId: existing, holders, connection)
            return .alreadyStored(caseId: existing)
        }
        let words = CaseListWords.words(familyName: record.person.familyName, givenNames: record.person.givenNames, pnc: pnc, personRef: record.person.id)
        try await addWords(words.sorted(), caseIds: Array(repeating: caseId, count: words.count), connection)
        try await addSearchRow(caseId, words: words.sorted(), connection)
        try await addHolders(caseId: caseId, holders, connection)
        return .stored(caseId: caseId, personId: person)
    }

    /// Records that `organisations` hold a case (idempotent), with its sort keys, inside the
    /// caller's transaction.
    func addHolders(caseId: Int64, _ organisations: [String], _ connection: PostgresConnection) async throws {
        for code in Set(organisations).sorted() where !code.isEmpty {
            let bind = Binder()
            let sql = """
                INSERT INTO caseHolder (caseId, organisationCode, familyKey, givenKey, assessedOn, stage, statusKey, framework)
                SELECT id, \(bind(code)), \(PostgresSchema.holderKeys) FROM caseRecord WHERE id = \(bind(caseId))
                ON CONFLICT DO NOTHING
                """
            try await connection.run(bind.query(sql), logger: logger)
        }
    }

    /// `caseSearch` (v9-search-index) from `caseWord`: each word's UTF-8 bytes in lower-case hex,
    /// as `CaseListWords.searchToken` writes them (the migration, and a store copied into PostgreSQL).
    static let fillSearchIndex = """
        INSERT INTO caseSearch (caseId, words)
        SELECT caseId, array_to_tsvector(array_agg(encode(convert_to(word, 'UTF8'), 'hex'))) FROM caseWord GROUP BY caseId
        ON CONFLICT (caseId) DO UPDATE SET words = EXCLUDED.words
        """

    /// Records a new case's row of the full-text search index.
    func addSearchRow(_ caseId: Int64, words: [String], _ connection: PostgresConnection) async throws {
        let tokens = words.map(CaseListWords.searchToken)
        try await connection.run(
            "INSERT INTO caseSearch (caseId, words) VALUES (\(caseId), array_to_tsvector(\(tokens)::text[]))", logger: logger)
    }

    /// Records search words (`words[i]` of case `caseIds[i]`), one statement.
    func addWords(_ words: [String], caseIds: [Int64], _ connection: PostgresConnection) async throws {
        guard !words.isEmpty else { return }
        try await connection.run(
            "INSERT INTO caseWord (word, caseId) SELECT * FROM unnest(\(words)::text[], \(caseIds)::bigint[]) ON CONFLICT DO NOTHING", logger: logger)
    }

    /// `v7-list-indexes`: the search words of every stored case, in batches.
    func fillWords(_ connection: PostgresConnection) async throws {
        let cases = try await connection.rows("SELECT id, familyName, givenNames, pnc, personRef FROM caseRecord", logger: logger) { cells in
            (try cells.next(Int64.self), try cells.next(String.self), try cells.next(String.self), try cells.next(String?.self), try cells.next(String?.self))
        }
        var words: [String] = []
        var ids: [Int64] = []
        for (id, family, given, pnc, personRef) in cases {
            for word in CaseListWords.words(familyName: family, givenNames: given, pnc: pnc, personRef: personRef) {
                words.append(word)
                ids.append(id)
            }
            if words.count >= 10_000 {
                try await addWords(words, caseIds: ids, connection)
                words.removeAll(keepingCapacity: true)
                ids.removeAll(keepingCapacity: true)
            }
        }
        try await addWords(words, caseIds: ids, connection)
    }

    func existingCase(_ sha256: String, _ connection: PostgresConnection) async throws -> Int64? {
        try await connection.rows("SELECT id FROM caseRecord WHERE sha256 = \(sha256)", logger: logger) { try $0.next(Int64.self) }.first
    }

    static let summaryColumns = """
        caseRecord.id, personId, framework, documentId, organisationCode, personRef, pnc, familyName, givenNames,
        stage, status, transferStatus, assessedOn, importedAt, sourceName
        """

    static func summary(_ cells: inout Cells) throws -> CaseSummary {
        CaseSummary(
            id: try cells.next(), personId: try cells.next(), framework: try cells.next(), documentId: try cells.next(),
            organisationCode: try cells.next(), personRef: try cells.next(), pnc: try cells.next(), familyName: try cells.next(),
            givenNames: try cells.next(), stage: try cells.next(), status: try cells.next(), transferStatus: try cells.next(),
            assessedOn: try cells.next(), importedAt: try cells.next(), sourceName: try cells.next())
    }

    public func cases(_ query: CaseQuery) async throws -> [CaseSummary] {
        var conditions: [String] = []
        let bind = Binder()
        if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let like = bind("%\(text)%")
            conditions.append("(familyName ILIKE \(like) OR givenNames ILIKE \(like) OR pnc ILIKE \(like) OR personRef ILIKE \(like) OR (givenNames || ' ' || familyName) ILIKE \(like))")
        }
        if let framework = query.framework {
            conditions.append("framework = \(bind(framework.rawValue))")
        }
        if let status = query.transferStatus, !status.isEmpty {
            conditions.append(status == "none" ? "transferStatus IS NULL" : "transferStatus = \(bind(status))")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let statement = bind.query("SELECT \(Self.summaryColumns) FROM caseRecord \(filter) ORDER BY assessedOn DESC, id DESC LIMIT \(max(1, query.limit))")
        return try await withConnection { connection in
            try await connection.rows(statement, logger: self.logger, Self.summary)
        }
    }

    public func cases(ofPerson personId: Int64) async throws -> [CaseSummary] {
        let bind = Binder()
        let statement = bind.query("SELECT \(Self.summaryColumns) FROM caseRecord WHERE personId = \(bind(personId)) ORDER BY assessedOn DESC, id DESC")
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.summary) }
    }

    public func caseRecord(id: Int64) async throws -> (summary: CaseSummary, record: CaseRecord)? {
        let bind = Binder()
        return try await caseRecord(bind.query("SELECT \(Self.summaryColumns), recordJSON FROM caseRecord WHERE id = \(bind(id))"), id: id)
    }

    func caseRecord(_ statement: PostgresQuery, id: Int64) async throws -> (summary: CaseSummary, record: CaseRecord)? {
        let found = try await withConnection { connection in
            try await connection.rows(statement, logger: self.logger) { cells in (try Self.summary(&cells), try cells.next(Data.self)) }.first
        }
        guard let (summary, json) = found else { return nil }
        do {
            return (summary, try CaseRecord.decode(json))
        } catch {
            throw StoreError(code: "STORE-CORRUPT", message: "case \(id)'s stored record cannot be read", path: location)
        }
    }

    public func sourceDocument(caseId: Int64) async throws -> (bytes: Data, sha256: String, framework: String)? {
        try await withConnection { connection in
            try await connection.rows("SELECT sourceXML, sourceCompression, sha256, framework FROM caseRecord WHERE id = \(caseId)", logger: self.logger) {
                (try $0.next(Data.self), try $0.next(String.self), try $0.next(String.self), try $0.next(String.self))
            }.first
        }.map { (try SourceCompression.unpack($0.0, $0.1, caseId: caseId, path: location), $0.2, $0.3) }
    }

    static func document(_ cells: inout Cells) throws -> CaseDocument {
        CaseDocument(
            id: try cells.next(), caseId: try cells.next(), fileName: try cells.next(), mediaType: try cells.next(),
            sha256: try cells.next(), isNOCO: try cells.next(), transferId: try cells.next())
    }

    public func caseDocuments(caseId: Int64) async throws -> [CaseDocument] {
        try await withConnection { connection in
            try await connection.rows(
                "SELECT id, caseId, fileName, mediaType, sha256, isNOCO, transferId FROM caseDocument WHERE caseId = \(caseId) ORDER BY id",
                logger: self.logger, Self.document)
        }
    }

    public func caseDocumentBytes(caseId: Int64, documentId: Int64) async throws -> (document: CaseDocument, bytes: Data)? {
        try await withConnection { connection in
            try await connection.rows(
                "SELECT id, caseId, fileName, mediaType, sha256, isNOCO, transferId, bytes FROM caseDocument WHERE caseId = \(caseId) AND id = \(documentId)",
                logger: self.logger) { cells in (try Self.document(&cells), try cells.next(Data.self)) }.first
        }
    }

    public func caseId(sha256: String) async throws -> Int64? {
        try await withConnection { connection in try await self.existingCase(sha256, connection) }
    }

    public func counts() async throws -> (cases: Int, people: Int) {
        let (cases, people) = try await withConnection { connection in
            try await connection.rows("SELECT (SELECT COUNT(*) FROM caseRecord), (SELECT COUNT(*) FROM person)", logger: self.logger) {
                (try $0.next(Int64.self), try $0.next(Int64.self))
            }.first ?? (0, 0)
        }
        return (Int(cases), Int(people))
    }

    public func holders(caseId: Int64) async throws -> [String] {
        try await withConnection { connection in
            try await connection.rows("SELECT organisationCode FROM caseHolder WHERE caseId = \(caseId) ORDER BY organisationCode", logger: self.logger) {
                try $0.next(String.self)
            }
        }
    }

    /// Keeps a package file with its case, inside the caller's transaction (idempotent).
    func insertCaseDocument(_ document: NewCaseDocument, caseId: Int64, _ connection: PostgresConnection) async throws {
        try await connection.run(
            """
            INSERT INTO caseDocument (caseId, fileName, mediaType, sha256, isNOCO, transferId, bytes)
            VALUES (\(caseId), \(document.fileName), \(document.mediaType), \(document.sha256), \(document.isNOCO), \(document.transferId), \(document.bytes))
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }
}
