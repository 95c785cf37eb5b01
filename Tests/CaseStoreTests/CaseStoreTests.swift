import CaseRecord
import CaseStore
import Foundation
import GRDB
import Synchronization
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

    /// `y2a serve` opens SQLite with a pool of readers. When an awaited read kept its reader
    /// until its continuation ran on the cooperative pool, and every cooperative thread was
    /// blocked waiting for a reader, the server stopped answering (2 cores, 8 connections). The
    /// work runs on an executor of two threads of its own (as the cooperative pool of this
    /// machine), so a deadlock is reported after 30 s instead of stopping the whole test run.
    @Test("SQLite with its pool of readers: 200 concurrent reads, page reads and writes from async tasks on two threads all finish")
    func poolUnderConcurrency() async throws {
        let store = try CaseStore(path: try Fixtures.temporaryDirectory().appendingPathComponent("pool.sqlite").path, settings: StoreSettings(writeAheadLog: true))
        let (record, bytes) = try Self.record("valid/asset-core-profile.xml")
        _ = try await Self.put(store, record, bytes, "a.xml", holders: ["N07"])
        try await store.addOrganisation(OrganisationRecord(code: "N07", name: "Northtown PDU", kind: "probation", createdAt: "2026-01-01T00:00:00Z"))
        let account = try await store.addAccount(name: "alice", organisation: "N07", roles: ["practitioner"], passwordHash: "x", at: "2026-01-01T00:00:00Z")
        try await store.createSession(SessionRecord(idHash: "s", accountId: account.id, csrfToken: "c", createdAt: Date(), lastSeenAt: Date(), secondFactorPending: false, address: nil))
        let work: @Sendable () async throws -> Int = {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<200 {
                    group.addTask {
                        switch n % 3 {
                        case 0: return try await store.session(idHash: "s") == nil ? 0 : 1
                        case 1: return try await store.casePage(.init(text: "a"), scope: OrganisationScope(["N07"])).total >= 0 ? 1 : 0
                        default:
                            try await store.append(AuditEvent(
                                at: "2026-01-01T00:00:00Z", actor: "alice", accountId: account.id, organisationCode: "N07", action: "list-cases", address: nil, outcome: "ok"))
                            return 1
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        let executor = ThreadsExecutor(count: 2)
        let answered: Int? = await withCheckedContinuation { continuation in
            let once = Mutex(false)
            let finish: @Sendable (Int?) -> Void = { value in
                if once.withLock({ done in defer { done = true }; return !done }) { continuation.resume(returning: value) }
            }
            Task(executorPreference: executor) { finish(try? await work()) }
            Task { try? await Task.sleep(for: .seconds(30)); finish(nil) }
        }
        #expect(answered == 200, "stuck: a connection held across a suspension?")
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

    @Test("a source document is stored zlib-compressed when that is smaller and read back byte for byte; one kept raw (before v10) reads as it is; one that does not inflate, or inflates cut short, is STORE-CORRUPT", arguments: TestStores.engines)
    func compressedSource(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let store = try await TestStores.open(address)
        defer { Task { await store.close() } }
        let (record, bytes) = try Self.record("valid/asset-core-profile.xml")
        guard case .stored(let caseId, _) = try await Self.put(store, record, bytes, "a.xml", holders: ["N07"]) else { Issue.record("not stored"); return }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        // The checksum that tells a whole stream from a cut one: RFC 1950's, over more than one
        // 5,552-byte block as well (a document of 200 KB inflates back whole).
        #expect(SourceCompression.adler32(Data("Wikipedia".utf8)) == 0x11E6_0398)
        let large = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) })
        let packedLarge = SourceCompression.pack(large)
        #expect(packedLarge.compression == "zlib")
        #expect(try SourceCompression.unpack(packedLarge.bytes, packedLarge.compression, caseId: 0, path: nil) == large)
        func sql(_ sqlite: String, _ postgres: String) async throws -> String {
            switch address {
            case .sqlite(let path): return try await DatabaseQueue(path: path).write { db in try String.fetchOne(db, sql: sqlite) ?? "" }
            case .postgres: return try TestStores.psql(address, postgres)
            }
        }
        #expect(try await sql("SELECT sourceCompression FROM caseRecord WHERE id = \(caseId)", "SELECT sourceCompression FROM caseRecord WHERE id = \(caseId)") == "zlib")
        let storedSize = try #require(Int(try await sql("SELECT length(sourceXML) FROM caseRecord WHERE id = \(caseId)", "SELECT octet_length(sourceXML) FROM caseRecord WHERE id = \(caseId)")))
        #expect(storedSize * 2 < bytes.count, "\(storedSize) bytes stored for \(bytes.count)")
        let packedHex = try await sql("SELECT lower(hex(sourceXML)) FROM caseRecord WHERE id = \(caseId)", "SELECT encode(sourceXML, 'hex') FROM caseRecord WHERE id = \(caseId)")
        #expect(try await store.sourceDocument(caseId: caseId)?.bytes == bytes)
        #expect(try await store.sourceDocument(caseId: caseId, scope: OrganisationScope(["N07"]))?.bytes == bytes)

        _ = try await sql(
            "UPDATE caseRecord SET sourceXML = x'\(hex)', sourceCompression = '' WHERE id = \(caseId) RETURNING 'raw'",
            "UPDATE caseRecord SET sourceXML = decode('\(hex)', 'hex'), sourceCompression = '' WHERE id = \(caseId)")
        #expect(try await store.sourceDocument(caseId: caseId)?.bytes == bytes)

        // Damaged two ways: not zlib at all, and the stored stream cut in half (zlib inflates
        // that "well", to a prefix of the document).
        let half = String(packedHex.prefix(packedHex.count / 4 * 2))
        for damage in ["00010203", half] {
            _ = try await sql(
                "UPDATE caseRecord SET sourceXML = x'\(damage)', sourceCompression = 'zlib' WHERE id = \(caseId) RETURNING 'damaged'",
                "UPDATE caseRecord SET sourceXML = decode('\(damage)', 'hex'), sourceCompression = 'zlib' WHERE id = \(caseId)")
            for read in [{ try await store.sourceDocument(caseId: caseId) }, { try await store.sourceDocument(caseId: caseId, scope: OrganisationScope(["N07"])) }] {
                do {
                    _ = try await read()
                    Issue.record("a damaged source was read: \(damage.count / 2) bytes")
                } catch let error as StoreError {
                    #expect(error.code == "STORE-CORRUPT")
                }
            }
        }
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

/// A task executor of `count` threads of its own: jobs run in the order they come.
final class ThreadsExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(count: Int) {
        for _ in 0..<count {
            let thread = Thread { self.run() }  // the threads keep the executor: it lives as long as the test run
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
