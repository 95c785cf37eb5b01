import CaseRecord
import CaseStore
import Foundation
import GRDB
import TestSupport
import Testing

/// The case list's indexes (schema v7-list-indexes) on both engines: search by words from the
/// word table, the holder rows' sort keys, and the migration that fills both for older stores.
@Suite("Case list indexes")
struct CaseListIndexTests {
    /// Stores one case per name, held by `holders`; answers their ids in order.
    @discardableResult
    static func store(_ store: any Store, _ names: [(family: String, given: String)], pnc: String? = nil, holders: [String] = ["N07"], from start: Int = 0) async throws -> [Int64] {
        let template = try #require(try Fixtures.process(file: Fixtures.sample("valid/contract-example-assetplus.xml"), convert: true).caseRecord)
        var ids: [Int64] = []
        for (index, name) in names.enumerated() {
            var record = template
            record.person.familyName = name.family
            record.person.givenNames = name.given
            record.person.pnc = pnc
            record.person.id = "REF-\(start + index)"
            record.assessment.assessedOn = "2024-01-\(String(format: "%02d", 1 + (start + index) % 28))"
            record.source.sha256 = String(format: "%064d", start + index + 1)
            // The bytes are the digest's text: `digest` below stands in for SHA-256 when a copy is verified.
            guard case .stored(let id, _) = try await store.store(record, sourceXML: Data(record.source.sha256.utf8), sourceName: "s.xml", now: Date(), holders: holders) else {
                Issue.record("not stored")
                continue
            }
            ids.append(id)
        }
        return ids
    }

    /// Stands in for SHA-256 with `store(_:_:)`'s documents, whose bytes are their digest's text.
    static let digest: @Sendable (Data) -> String = { String(decoding: $0, as: UTF8.self) }

    static func found(_ store: any Store, _ text: String, scope: OrganisationScope = OrganisationScope(["N07"])) async throws -> [Int64] {
        try await store.casePage(.init(text: text, pageSize: 500), scope: scope).cases.map(\.id).sorted()
    }

    @Test("search words: the beginning of any name word, either order, parts of hyphenated names; `%`, `_` and `\\` are characters", arguments: TestStores.engines)
    func words(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let ids = try await Self.store(store, [
            ("Thistlewood", "Kieran Jack"), ("Smith-Jones", "Ava"), ("O_Neil", "Ruby"), ("Per%cy", "Leo"), ("Back\\slash", "Kai"), ("Zoë", "Émile"),
        ])
        let (thistlewood, smithJones, oNeil, percy, backslash, zoe) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5])
        #expect(try await Self.found(store, "kieran jack") == [thistlewood])
        #expect(try await Self.found(store, "Jack THISTLE") == [thistlewood])
        #expect(try await Self.found(store, "wood").isEmpty, "a word is matched from its beginning")
        #expect(try await Self.found(store, "jones") == [smithJones])
        #expect(try await Self.found(store, "smith-jo") == [smithJones])
        #expect(try await Self.found(store, "o_n") == [oNeil])
        #expect(try await Self.found(store, "oxn").isEmpty, "_ is not a wildcard")
        #expect(try await Self.found(store, "per%c") == [percy])
        #expect(try await Self.found(store, "per%x").isEmpty)
        #expect(try await Self.found(store, "pe%").isEmpty, "% is not a wildcard")
        #expect(try await Self.found(store, "back\\s") == [backslash])
        // Longer than any stored word can be (PostgreSQL would refuse it as a tsquery operand).
        #expect(try await Self.found(store, "zo " + String(repeating: "é", count: 600)).isEmpty)
        #expect(try await Self.found(store, String(repeating: "z", count: 1_001)).isEmpty)
        for wildcard in ["%", "_", "\\", "%%", "_%"] {
            #expect(try await Self.found(store, wildcard).isEmpty, "\(wildcard) matched")
        }
        #expect(try await Self.found(store, "ZOË émile") == [zoe])
        #expect(try await Self.found(store, "ref-3") == [percy], "the person id")
        #expect(try await Self.found(store, "kieran ava").isEmpty, "every word must match the same case")
        #expect(try await Self.found(store, "kieran", scope: OrganisationScope(["B23"])).isEmpty)
        let page = try await store.casePage(.init(text: "ref", page: 2, pageSize: 1), scope: OrganisationScope(["N07"]))
        #expect(page.total == 6 && page.cases.count == 1, "the true total of a search, past its first page")
        #expect(try await store.casePage(.init(text: "ref", page: 9), scope: OrganisationScope(["N07"])) == CaseListResult(total: 6, cases: []), "and beyond its last")
    }

    @Test("a PNC is found whole or by its parts", arguments: TestStores.engines)
    func pnc(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let ids = try await Self.store(store, [("Ash", "Robin")], pnc: "2019/0123456A")
        #expect(try await Self.found(store, "2019/0123456A") == ids)
        #expect(try await Self.found(store, "0123456a") == ids)
        #expect(try await Self.found(store, "2019/01") == ids)
    }

    @Test("a case held by two of a scope's organisations is counted and listed once, in every order", arguments: TestStores.engines)
    func twoHolders(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        try await Self.store(store, [("Ash", "Robin"), ("Birch", "Robin")], holders: ["N07", "B23"])
        try await Self.store(store, [("Cedar", "Robin")], holders: ["B23"], from: 2)
        let both = OrganisationScope(["N07", "B23"])
        for sort in CaseSort.allCases {
            let page = try await store.casePage(.init(sort: sort), scope: both)
            #expect(page.total == 3 && page.cases.count == 3 && Set(page.cases.map(\.id)).count == 3, "\(sort)")
        }
        let searched = try await store.casePage(.init(text: "robin"), scope: both)
        #expect(searched.total == 3 && searched.cases.count == 3)
        #expect(try await store.casePage(.init(), scope: OrganisationScope(["N07"])).total == 2)
        #expect(try await store.casePage(.init(), scope: OrganisationScope(["B23"])).total == 3)
    }

    @Test("v7-list-indexes and v9-search-index fill an older store's holder keys, search words, full-text index and counts: the list reads as before", arguments: TestStores.engines)
    func migration(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let names: [(family: String, given: String)] = (0..<60).map { (["Ash", "birch", "Cedar-Oak", "Élan"][$0 % 4], ["Robin Lee", "Sam", "jo"][$0 % 3]) }
        let queries: [CaseListQuery] = CaseSort.allCases.flatMap { sort in [false, true].map { CaseListQuery(sort: sort, descending: $0, page: 2, pageSize: 25) } }
            + [.init(text: "ÉLA"), .init(text: "robin cedar"), .init(text: "oak"), .init(text: "REF-1"), .init(text: "jo", sort: .name, descending: false)]
        var before: [CaseListResult] = []
        do {
            let store = try await TestStores.open(address)
            try await Self.store(store, names)
            for query in queries { before.append(try await store.casePage(query, scope: OrganisationScope(["N07"]))) }
            await store.close()
        }
        #expect(before[0].total == 60 && before[before.count - 4].total == 5)
        // Back to v6 behind the engine's back: the holder rows without keys, no words, no counts.
        switch address {
        case .sqlite(let path):
            try await DatabaseQueue(path: path).write { db in
                try db.execute(sql: """
                    DROP TABLE caseSearch;
                    DROP TABLE caseWord;
                    DROP TABLE caseCount;
                    CREATE TABLE caseHolderV6 (caseId INTEGER NOT NULL REFERENCES caseRecord(id), organisationCode TEXT NOT NULL,
                        PRIMARY KEY (organisationCode, caseId)) WITHOUT ROWID;
                    INSERT INTO caseHolderV6 SELECT caseId, organisationCode FROM caseHolder;
                    DROP TABLE caseHolder;
                    ALTER TABLE caseHolderV6 RENAME TO caseHolder;
                    CREATE INDEX caseHolder_case ON caseHolder(caseId);
                    DELETE FROM grdb_migrations WHERE identifier IN ('v7-list-indexes', 'v9-search-index');
                    """)
            }
        case .postgres:
            for sql in [
                "DROP TABLE caseSearch",
                "DROP TABLE caseWord",
                "DROP TRIGGER caseHolder_counted ON caseHolder",
                "DROP FUNCTION y2a_count_holder()",
                "DROP TABLE caseCountDelta",
                "ALTER TABLE caseHolder DROP COLUMN familyKey, DROP COLUMN givenKey, DROP COLUMN assessedOn, DROP COLUMN stage, DROP COLUMN statusKey, DROP COLUMN framework",
                "DELETE FROM y2a_migrations WHERE identifier IN ('v7-list-indexes', 'v9-search-index')",
            ] { try TestStores.psql(address, sql) }
        }
        let store = try await TestStores.open(address)
        defer { Task { await store.close() } }
        for (query, expected) in zip(queries, before) {
            #expect(try await store.casePage(query, scope: OrganisationScope(["N07"])) == expected, "\(query)")
        }
        // And it goes on as a v7 store: a new case is counted and found.
        try await Self.store(store, [("Ash", "Newcomer")], from: 60)
        #expect(try await store.casePage(.init(), scope: OrganisationScope(["N07"])).total == 61)
        #expect(try await Self.found(store, "newcomer").count == 1)
    }

    @Test("every way into the store records a case's holder keys and words: one, a group, a journalled group, a copy", arguments: TestStores.engines)
    func everyInsertPath(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let template = try #require(try Fixtures.process(file: Fixtures.sample("valid/contract-example-asset.xml"), convert: true).caseRecord)
        func variant(_ n: Int, _ family: String) -> StoreRequest {
            var record = template
            record.person.familyName = family
            record.person.givenNames = "Quill"
            record.person.pnc = nil
            record.person.id = "GRP-\(n)"
            record.source.sha256 = String(format: "%064d", 900 + n)
            return StoreRequest(record: record, sourceXML: Data(record.source.sha256.utf8), sourceName: "g\(n).xml", holders: ["N07"])
        }
        _ = try await store.store([variant(1, "Alder-Grove"), variant(2, "Beech")], now: Date())
        let run = try await store.beginBatchRun(now: Date())
        let journalled = variant(3, "Cypress")
        _ = try await store.storeAndJournal([JournalledStore(document: journalled) { outcome in
            guard case .stored(let caseId, _) = outcome else { throw StoreError(code: "TEST", message: "not stored", path: nil) }
            return ProcessedFile(
                sha256: journalled.record.source.sha256, name: "g3.xml", kind: "assessment", outcome: "stored", destination: "archive", codes: [],
                caseId: caseId, runId: run, decidedAt: "2026-01-01T00:00:00Z")
        }], now: Date())
        try await Self.store(store, [("Dogwood", "Quill")], from: 40)
        for family in ["grove", "alder", "beech", "cypress", "dogwood"] {
            #expect(try await Self.found(store, "quill \(family)").count == 1, "\(family)")
        }
        let scope = OrganisationScope(["N07"])
        for sort in CaseSort.allCases {
            let page = try await store.casePage(.init(sort: sort, descending: false), scope: scope)
            #expect(page.total == 4 && page.cases.count == 4, "\(sort)")
        }
        #expect(try await store.casePage(.init(sort: .name, descending: false), scope: scope).cases.map(\.familyName) == ["Alder-Grove", "Beech", "Cypress", "Dogwood"])

        // `y2a store migrate`: the copy is searched and counted as the original.
        for target in TestStores.engines {
            let copy = try await TestStores.open(target)
            defer { Task { await copy.close() } }
            let (from, to) = (try #require(store as? any StoreCopying), try #require(copy as? any StoreCopying))
            _ = try await StoreCopier(sha256: Self.digest).copy(from: from, to: to)
            for family in ["grove", "alder", "beech", "cypress", "dogwood"] {
                #expect(try await Self.found(copy, "quill \(family)") == (try await Self.found(store, "quill \(family)")), "\(family) \(target)")
            }
            #expect(try await copy.casePage(.init(), scope: scope) == (try await store.casePage(.init(), scope: scope)), "\(target)")
            try await Self.store(copy, [("Elm", "Quill")], from: 41)
            #expect(try await copy.casePage(.init(), scope: scope).total == 5, "a copy goes on counting: \(target)")
        }
    }

    @Test("a store at an older schema is not copied: STORE-MIGRATE says to open it with this y2a first", arguments: TestStores.engines)
    func copyFromOlderSchema(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        do {
            let store = try await TestStores.open(address)
            try await Self.store(store, [("Ash", "Robin")])
            await store.close()
        }
        switch address {
        case .sqlite(let path):
            try await DatabaseQueue(path: path).write { db in try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v10-source-compression'") }
        case .postgres:
            try TestStores.psql(address, "DELETE FROM y2a_migrations WHERE identifier = 'v10-source-compression'")
        }
        let old = try #require(try await StoreEngine.open(address, settings: StoreSettings(readOnly: true)))
        defer { Task { await old.close() } }
        let target = try await TestStores.open(engine)
        defer { Task { await target.close() } }
        do {
            _ = try await StoreCopier(sha256: Self.digest).copy(from: try #require(old as? any StoreCopying), to: try #require(target as? any StoreCopying))
            Issue.record("an older store was copied")
        } catch let error as StoreError {
            #expect(error.code == "STORE-MIGRATE" && error.message.contains("v10-source-compression") && error.message.contains("older schema"), "\(error)")
        }
        #expect(try await target.casePage(.init(), scope: OrganisationScope(["N07"])).total == 0, "nothing copied")
    }

    @Test("the unfiltered total stays true as cases arrive one by one and as a group (PostgreSQL folds its counter rows past 64)", arguments: TestStores.engines)
    func counter(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let scope = OrganisationScope(["N07"])
        try await Self.store(store, (0..<70).map { (family: "Ash\($0)", given: "Robin") })
        for _ in 0..<2 {
            #expect(try await store.casePage(.init(), scope: scope).total == 70)
        }
        try await Self.store(store, (0..<5).map { (family: "Birch\($0)", given: "Robin") }, holders: ["N07", "B23"], from: 70)
        #expect(try await store.casePage(.init(), scope: scope).total == 75)
        #expect(try await store.casePage(.init(), scope: OrganisationScope(["B23"])).total == 5)
        #expect(try await store.casePage(.init(), scope: OrganisationScope(["N07", "B23"])).total == 75)
    }

    @Test("SQLite: a list page walks one holder index in order, a search reads the full-text index then holder rows; neither scans")
    func plans() throws {
        let store = try CaseStore()
        let scope = OrganisationScope(["N07"])
        for sort in CaseSort.allCases {
            for descending in [false, true] {
                let plan = try store.casePagePlan(.init(sort: sort, descending: descending, page: 3), scope: scope).page
                #expect(plan.count == 1 && plan[0].hasPrefix("SEARCH h USING") && plan[0].contains("(organisationCode=?)"), "\(sort) \(descending): \(plan)")
                #expect(!plan.joined().contains("TEMP B-TREE"), "\(sort) \(descending): \(plan)")
            }
        }
        let word = try store.casePagePlan(.init(text: "smith"), scope: scope).page
        #expect(word.contains { $0.contains("caseSearch VIRTUAL TABLE INDEX") } && word.contains { $0.hasPrefix("SEARCH h USING") }, "\(word)")
        let filtered = try store.casePagePlan(.init(transferStatus: "none", sort: .status), scope: scope)
        #expect(!filtered.page.joined().contains("TEMP B-TREE") && filtered.count.allSatisfy { !$0.hasPrefix("SCAN") }, "\(filtered)")
        let search = try store.casePagePlan(.init(text: "jack smith", dateOfBirth: "2008-01-01", sort: .name), scope: scope)
        for plan in [search.page, search.count] {
            #expect(plan.contains { $0.contains("caseSearch VIRTUAL TABLE INDEX") }, "\(plan)")
            #expect(plan.contains { $0.contains("caseRecord USING") && $0.contains("(dateOfBirth=?)") }, "\(plan)")
            #expect(plan.contains { $0.hasPrefix("SEARCH h USING") && $0.contains("caseId=?") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN h") || $0.hasPrefix("SCAN caseRecord") || $0.hasPrefix("SCAN caseWord") }, "\(plan)")
            #expect(!plan.contains { $0.contains("caseWord") }, "SQLite searches its full-text index, not the word table: \(plan)")
        }
    }
}
