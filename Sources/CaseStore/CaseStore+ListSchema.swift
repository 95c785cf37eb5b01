import GRDB

extension CaseStore {
    /// `v7-list-indexes`: the case list without a scan. Each holder row carries the case's sort
    /// keys (copied from its case, which never changes), with an index per sort order that
    /// starts with the organisation: the scoped count is a range of one index, and a page of
    /// any order is an index walk with the case id as the tie-breaker. `caseWord` holds the
    /// words a case is searched by (`CaseListWords`), so a name search is an index range per word.
    /// `caseCount` (SQLite only, kept by triggers: this engine has one writer at a time) is each
    /// organisation's number of cases, the unfiltered list's total without a count.
    /// Existing rows are filled in.
    static func migrateListIndexes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE caseHolderV7 (
                caseId INTEGER NOT NULL REFERENCES caseRecord(id),
                organisationCode TEXT NOT NULL,
                familyKey TEXT NOT NULL,
                givenKey TEXT NOT NULL,
                assessedOn TEXT NOT NULL,
                stage TEXT NOT NULL,
                statusKey TEXT NOT NULL,
                framework TEXT NOT NULL,
                PRIMARY KEY (organisationCode, caseId)
            ) WITHOUT ROWID;
            INSERT INTO caseHolderV7 (caseId, organisationCode, familyKey, givenKey, assessedOn, stage, statusKey, framework)
                SELECT h.caseId, h.organisationCode, \(holderKeys)
                FROM caseHolder h JOIN caseRecord ON caseRecord.id = h.caseId;
            DROP TABLE caseHolder;
            ALTER TABLE caseHolderV7 RENAME TO caseHolder;
            CREATE INDEX caseHolder_case ON caseHolder(caseId);
            CREATE INDEX caseHolder_name ON caseHolder(organisationCode, familyKey, givenKey, caseId);
            CREATE INDEX caseHolder_assessed ON caseHolder(organisationCode, assessedOn, caseId);
            CREATE INDEX caseHolder_stage ON caseHolder(organisationCode, stage, assessedOn, caseId);
            CREATE INDEX caseHolder_stage_recent ON caseHolder(organisationCode, stage, assessedOn DESC, caseId);
            CREATE INDEX caseHolder_status ON caseHolder(organisationCode, statusKey, assessedOn, caseId);
            CREATE INDEX caseHolder_status_recent ON caseHolder(organisationCode, statusKey, assessedOn DESC, caseId);
            CREATE TABLE caseWord (
                word TEXT NOT NULL,
                caseId INTEGER NOT NULL REFERENCES caseRecord(id),
                PRIMARY KEY (word, caseId)
            ) WITHOUT ROWID;
            CREATE INDEX caseWord_case ON caseWord(caseId);
            CREATE TABLE caseCount (
                organisationCode TEXT PRIMARY KEY,
                cases INTEGER NOT NULL
            );
            INSERT INTO caseCount (organisationCode, cases) SELECT organisationCode, COUNT(*) FROM caseHolder GROUP BY organisationCode;
            CREATE TRIGGER caseHolder_counted AFTER INSERT ON caseHolder BEGIN
                INSERT INTO caseCount (organisationCode, cases) VALUES (NEW.organisationCode, 1)
                    ON CONFLICT (organisationCode) DO UPDATE SET cases = cases + 1;
            END;
            CREATE TRIGGER caseHolder_uncounted AFTER DELETE ON caseHolder BEGIN
                UPDATE caseCount SET cases = cases - 1 WHERE organisationCode = OLD.organisationCode;
            END;
            """)
        let cases = try Row.fetchCursor(db, sql: "SELECT id, familyName, givenNames, pnc, personRef FROM caseRecord")
        while let row = try cases.next() {
            try addWords(db, caseId: row["id"], familyName: row["familyName"], givenNames: row["givenNames"], pnc: row["pnc"], personRef: row["personRef"])
        }
    }

    /// A holder row's sort keys, from `caseRecord`: names folded as `COLLATE NOCASE` folds them
    /// (ASCII letters), no transfer status as ''.
    static let holderKeys = "lower(caseRecord.familyName), lower(caseRecord.givenNames), caseRecord.assessedOn, caseRecord.stage, COALESCE(caseRecord.transferStatus, ''), caseRecord.framework"

    /// Schema v9-search-index: the words of each case (`caseWord`) also in one row of an FTS5
    /// table, as hex tokens (`CaseListWords.searchToken`) with prefix indexes of 1 to 10 bytes. A
    /// search of common names ("jack smith": 9,595 and 8,138 of 100,000 cases) merges two sorted
    /// lists of case ids instead of building two temporary B-trees and intersecting them (the
    /// page query: 9-10 ms before, 2-3 ms after). `caseWord` stays: the index is built from it
    /// (here and in PostgreSQL's `tsvector` of the same tokens), and a copy carries it.
    static func migrateSearchIndex(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE caseSearch USING fts5(words, detail = none, tokenize = 'ascii', prefix = '2 4 6 8 10 12 14 16 18 20');
            """)
        try fillSearchIndex(db)
    }

    /// Rebuilds `caseSearch` from `caseWord` (the migration, and a store copied into SQLite).
    static func fillSearchIndex(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM caseSearch;
            INSERT INTO caseSearch (rowid, words) SELECT caseId, group_concat(lower(hex(word)), ' ') FROM caseWord GROUP BY caseId;
            """)
    }

    /// Records the words a new case is searched by: `caseWord`, and its row of `caseSearch`.
    static func addSearchWords(_ db: Database, caseId: Int64, familyName: String, givenNames: String, pnc: String?, personRef: String?) throws {
        let words = CaseListWords.words(familyName: familyName, givenNames: givenNames, pnc: pnc, personRef: personRef)
        // Cached statements: an import runs these for every case, and compiling them each time
        // cost more than running them.
        let addWord = try db.cachedStatement(sql: "INSERT OR IGNORE INTO caseWord (word, caseId) VALUES (?, ?)")
        for word in words {
            try addWord.execute(arguments: [word, caseId])
        }
        try db.cachedStatement(sql: "INSERT INTO caseSearch (rowid, words) VALUES (?, ?)")
            .execute(arguments: [caseId, words.map(CaseListWords.searchToken).sorted().joined(separator: " ")])
    }

    /// Records the words of a case in `caseWord` only (schema v7's backfill, before `caseSearch`).
    static func addWords(_ db: Database, caseId: Int64, familyName: String, givenNames: String, pnc: String?, personRef: String?) throws {
        for word in CaseListWords.words(familyName: familyName, givenNames: givenNames, pnc: pnc, personRef: personRef) {
            try db.execute(sql: "INSERT OR IGNORE INTO caseWord (word, caseId) VALUES (?, ?)", arguments: [word, caseId])
        }
    }
}
