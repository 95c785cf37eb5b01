import CaseRecord
import CaseStore
import Foundation
import TestSupport
import Testing

/// The case store on both engines: idempotent by content, grouped by person, source kept byte
/// for byte, the organisation scope in the query.
@Suite("Case store")
struct CaseStoreTests {
    static func record(_ name: String) throws -> (CaseRecord, Data) {
        let path = Fixtures.sample(name)
        let record = try #require(try Fixtures.process(file: path, convert: true).caseRecord)
        return (record, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func put(_ store: any Store, _ record: CaseRecord, _ bytes: Data, _ name: String, holders: [String]? = nil) async throws -> StoreOutcome {
        try await store.store(record, sourceXML: bytes, sourceName: name, now: Date(), holders: holders)
    }

    @Test("the same document twice is stored once", arguments: TestStores.engines)
    func idempotent(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let (record, bytes) = try Self.record("valid/asset-core-profile.xml")
        let first = try await Self.put(store, record, bytes, "a.xml")
        guard case .stored(let caseId, _) = first else { Issue.record("not stored: \(first)"); return }
        #expect(try await Self.put(store, record, bytes, "copy.xml") == .alreadyStored(caseId: caseId))
        #expect(try await store.counts().cases == 1)
        #expect(try await store.caseId(sha256: record.source.sha256) == caseId)
    }

    @Test("the source is kept byte for byte with its SHA-256", arguments: TestStores.engines)
    func sourceKept(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let (record, bytes) = try Self.record("valid/asset-iso-8859-1.xml")
        guard case .stored(let caseId, _) = try await Self.put(store, record, bytes, "x.xml") else { return }
        let source = try #require(try await store.sourceDocument(caseId: caseId))
        #expect(source.bytes == bytes)
        #expect(source.sha256 == record.source.sha256)
        let (summary, read) = try #require(try await store.caseRecord(id: caseId))
        #expect(summary.id == caseId)
        #expect(read == record)
    }

    @Test("documents about the same young person are grouped, newest first; others are not", arguments: TestStores.engines)
    func grouping(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let (asset, assetBytes) = try Self.record("valid/contract-example-asset.xml")
        let (plus, plusBytes) = try Self.record("valid/contract-example-assetplus.xml")
        // The same child again in AssetPlus two years later, without a PNC, names in other case.
        var later = plus
        later.person = asset.person
        later.person.pnc = nil
        later.person.familyName = " ROE"
        later.source.sha256 = String(repeating: "a", count: 64)
        later.assessment.assessedOn = "2016-04-29"
        guard case .stored(_, let personA) = try await Self.put(store, asset, assetBytes, "a"),
              case .stored(let laterId, let personB) = try await Self.put(store, later, plusBytes, "b"),
              case .stored(_, let personC) = try await Self.put(store, plus, plusBytes, "c")
        else { Issue.record("not stored"); return }
        #expect(personA == personB)
        #expect(personC != personA)
        let history = try await store.cases(ofPerson: personA)
        #expect(history.map(\.id).first == laterId)
        #expect(history.count == 2)
    }

    @Test("different PNCs are different people even with the same names and date of birth", arguments: TestStores.engines)
    func differentPNC(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let (record, bytes) = try Self.record("valid/contract-example-assetplus.xml")
        var twin = record
        twin.person.pnc = "15/7654321Z"
        twin.source.sha256 = String(repeating: "b", count: 64)
        guard case .stored(_, let first) = try await Self.put(store, record, bytes, "a"),
              case .stored(_, let second) = try await Self.put(store, twin, bytes, "b")
        else { Issue.record("not stored"); return }
        #expect(first != second)
    }

    @Test("search by name, PNC or person id; filter by framework and transfer status", arguments: TestStores.engines)
    func search(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        for name in Fixtures.validSampleNames {
            let (record, bytes) = try Self.record(name)
            _ = try await Self.put(store, record, bytes, name)
        }
        #expect(try await store.cases(.init(text: "thistlewood")).count == 1)
        #expect(try await store.cases(.init(text: "15/0082341R")).count == 1)
        #expect(try await store.cases(.init(text: "CV-004417")).count == 1)
        #expect(try await store.cases(.init(framework: .asset)).allSatisfy { $0.framework == "Asset" })
        #expect(try await store.cases(.init(transferStatus: "awaiting")).allSatisfy { $0.transferStatus == "awaiting" })
        let all = try await store.cases(.init())
        #expect(all.count == Fixtures.validSampleNames.count)
        #expect(all.map(\.assessedOn) == all.map(\.assessedOn).sorted(by: >))
    }

    @Test("a case is seen only within the scope of the organisations that hold it", arguments: TestStores.engines)
    func scoped(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        let (record, bytes) = try Self.record("valid/contract-example-assetplus.xml")
        guard case .stored(let caseId, let personId) = try await Self.put(store, record, bytes, "a", holders: ["A01"]) else {
            Issue.record("not stored"); return
        }
        let mine = OrganisationScope(["A01"])
        let theirs = OrganisationScope(["Z99"])
        #expect(try await store.casePage(.init(), scope: mine).total == 1)
        #expect(try await store.casePage(.init(), scope: theirs) == CaseListResult(total: 0, cases: []))
        #expect(try await store.casePage(.init(), scope: OrganisationScope([])).total == 0)
        #expect(try await store.caseRecord(id: caseId, scope: mine) != nil)
        #expect(try await store.caseRecord(id: caseId, scope: theirs) == nil)
        #expect(try await store.sourceDocument(caseId: caseId, scope: theirs) == nil)
        #expect(try await store.cases(ofPerson: personId, scope: theirs).isEmpty)
        #expect(try await store.caseDocuments(caseId: caseId, scope: theirs).isEmpty)
        // Storing the same bytes for another organisation adds a holder, not a case.
        #expect(try await Self.put(store, record, bytes, "again", holders: ["Z99"]) == .alreadyStored(caseId: caseId))
        #expect(try await store.holders(caseId: caseId) == ["A01", "Z99"])
        #expect(try await store.caseRecord(id: caseId, scope: theirs) != nil)
    }

    @Test("the case list pages, sorts and filters by words and date of birth, `%` literal", arguments: TestStores.engines)
    func casePage(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        defer { Task { await store.close() } }
        var holders: Set<String> = []
        for name in Fixtures.validSampleNames {
            let (record, bytes) = try Self.record(name)
            holders.insert(record.source.organisation.code)
            _ = try await Self.put(store, record, bytes, name)
        }
        let scope = OrganisationScope(Array(holders))
        let all = try await store.casePage(.init(pageSize: 500), scope: scope)
        #expect(all.total == Fixtures.validSampleNames.count)
        let byName = try await store.casePage(.init(sort: .name, descending: false, pageSize: 500), scope: scope)
        let names = byName.cases.map { $0.familyName.lowercased() }
        #expect(names == names.sorted())
        let firstPage = try await store.casePage(.init(sort: .assessed, pageSize: 2), scope: scope)
        let secondPage = try await store.casePage(.init(sort: .assessed, page: 2, pageSize: 2), scope: scope)
        #expect(firstPage.cases.count == 2)
        #expect(Set(firstPage.cases.map(\.id)).isDisjoint(with: secondPage.cases.map(\.id)))
        #expect(firstPage.total == all.total)
        let one = try #require(all.cases.first)
        let (_, full) = try #require(try await store.caseRecord(id: one.id))
        let found = try await store.casePage(.init(text: "\(one.givenNames.split(separator: " ").first ?? "") \(one.familyName)", dateOfBirth: full.person.dateOfBirth), scope: scope)
        #expect(found.cases.map(\.id).contains(one.id))
        #expect(try await store.casePage(.init(text: "%"), scope: scope).total == 0)
    }
}
