import CaseRecord
import CaseStore
import Foundation
import GRDB
import TestSupport
import Testing

/// What every engine must guarantee: migrations once under concurrent openers, a newer store
/// refused, idempotent import under concurrent writers, append-only histories, the batch
/// journal and lock, accounts, sessions and one audit sequence.
@Suite("Store guarantees on every engine")
struct StoreGuaranteeTests {
    /// Runs tampering SQL behind the engine's back; it must fail.
    static func tamper(_ address: StoreAddress, _ sql: String) -> Bool {
        do {
            switch address {
            case .sqlite(let path): try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
            case .postgres: try TestStores.psql(address, sql)
            }
            return false
        } catch {
            return true
        }
    }

    static func appliedVersions(_ address: StoreAddress) throws -> [String] {
        switch address {
        case .sqlite(let path):
            return try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        case .postgres:
            return try TestStores.psql(address, "SELECT identifier FROM y2a_migrations ORDER BY identifier").split(separator: "\n").map(String.init)
        }
    }

    @Test("six stores opening one new database at once migrate it once, to the same versions", arguments: TestStores.engines)
    func concurrentMigration(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let stores = try await withThrowingTaskGroup(of: (any Store).self) { group in
            for _ in 0..<6 { group.addTask { try await StoreEngine.open(address, writeAheadLog: false) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 6)
        #expect(try Self.appliedVersions(address) == CaseStore.schemaVersions.sorted())
        for store in stores { await store.close() }
    }

    @Test("a store migrated by a newer y2a is refused with STORE-TOO-NEW", arguments: TestStores.engines)
    func tooNew(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        await try StoreEngine.open(address, writeAheadLog: false).close()
        let table = engine == .sqlite ? "grdb_migrations" : "y2a_migrations"
        #expect(!Self.tamper(address, "INSERT INTO \(table) (identifier) VALUES ('v9-later')"))
        await #expect {
            _ = try await StoreEngine.open(address, writeAheadLog: false)
        } throws: { error in
            (error as? StoreError)?.code == "STORE-TOO-NEW" && "\(error)".contains("v9-later")
        }
        await #expect {
            _ = try await StoreEngine.open(address, settings: StoreSettings(readOnly: true))
        } throws: { error in (error as? StoreError)?.code == "STORE-TOO-NEW" }
    }

    @Test("eight writers storing the same document at once store one case about one person", arguments: TestStores.engines)
    func concurrentImport(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let (record, bytes) = try CaseStoreTests.record("valid/contract-example-assetplus.xml")
        let sibling = {
            var copy = record
            copy.source.sha256 = String(repeating: "c", count: 64)
            return copy
        }()
        let first = try await StoreEngine.open(address, writeAheadLog: false)
        let outcomes = try await withThrowingTaskGroup(of: StoreOutcome.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    let store = try await StoreEngine.open(address, writeAheadLog: false)
                    let outcome = try await store.store(writer % 2 == 0 ? record : sibling, sourceXML: bytes, sourceName: "w\(writer)", now: Date(), holders: ["H\(writer)"])
                    await store.close()
                    return outcome
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = outcomes.filter { if case .stored = $0 { true } else { false } }
        #expect(stored.count == 2)
        #expect(try await first.counts() == (cases: 2, people: 1))
        let caseId = try #require(try await first.caseId(sha256: record.source.sha256))
        #expect(try await first.holders(caseId: caseId) == ["H0", "H2", "H4", "H6"])
        await first.close()
    }

    /// Runs set-up SQL behind the engine's back; it must succeed.
    static func behind(_ address: StoreAddress, _ sql: String) throws {
        switch address {
        case .sqlite(let path): try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
        case .postgres: try TestStores.psql(address, sql)
        }
    }

    /// A copy of `record` from other bytes (`bytes`) about person `person` (a PNC and names of its own).
    static func variant(_ record: CaseRecord, bytes: Int, person: Int) -> CaseRecord {
        var copy = record
        copy.source.sha256 = String(repeating: "0", count: 48) + String(format: "%016x", bytes)
        copy.person.pnc = "26/\(person)G"
        copy.person.familyName = "Family\(person)"
        return copy
    }

    @Test("a group of documents is stored in one transaction, each as alone, all or nothing", arguments: TestStores.engines)
    func groupStore(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let store = try await StoreEngine.open(address, writeAheadLog: false)
        let (record, bytes) = try CaseStoreTests.record("valid/contract-example-assetplus.xml")
        let a = Self.variant(record, bytes: 1, person: 1)
        let b = Self.variant(record, bytes: 2, person: 2)
        let alsoB = Self.variant(record, bytes: 3, person: 2)
        let outcomes = try await store.store([
            StoreRequest(record: a, sourceXML: bytes, sourceName: "a.xml", holders: ["H1"]),
            StoreRequest(record: b, sourceXML: bytes, sourceName: "b.xml"),
            // The same bytes again within the group: stored once, a holder added.
            StoreRequest(record: a, sourceXML: bytes, sourceName: "a-again.xml", holders: ["H2"]),
            StoreRequest(record: alsoB, sourceXML: bytes, sourceName: "b2.xml"),
        ], now: Date())
        guard outcomes.count == 4, case .stored(let caseA, _) = outcomes[0], case .stored(_, let personB) = outcomes[1],
              case .stored(_, let personAlsoB) = outcomes[3]
        else {
            Issue.record("unexpected outcomes \(outcomes)")
            return
        }
        #expect(outcomes[2] == .alreadyStored(caseId: caseA))
        #expect(personAlsoB == personB)
        #expect(try await store.counts() == (cases: 3, people: 2))
        #expect(try await store.holders(caseId: caseA) == ["H1", "H2"])
        #expect(try await store.store([], now: Date()).isEmpty)

        // One document of a group refused (a trigger behind the engine's back): none is stored.
        switch engine {
        case .sqlite:
            try Self.behind(address, "CREATE TRIGGER refusePoison BEFORE INSERT ON caseRecord WHEN NEW.sourceName = 'poison.xml' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        case .postgres:
            try Self.behind(address, """
                CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.sourceName = 'poison.xml' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER refuse_poison BEFORE INSERT ON caseRecord FOR EACH ROW EXECUTE FUNCTION refuse_poison();
                """)
        }
        let c = Self.variant(record, bytes: 4, person: 3)
        let poison = Self.variant(record, bytes: 5, person: 4)
        await #expect(throws: (any Error).self) {
            _ = try await store.store([
                StoreRequest(record: c, sourceXML: bytes, sourceName: "c.xml"),
                StoreRequest(record: poison, sourceXML: bytes, sourceName: "poison.xml"),
            ], now: Date())
        }
        #expect(try await store.caseId(sha256: c.source.sha256) == nil)
        #expect(try await store.counts() == (cases: 3, people: 2))
        await store.close()
    }

    @Test("four writers storing groups of the same six people in different orders: no deadlock, nothing doubled", arguments: TestStores.engines)
    func concurrentGroups(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let first = try await StoreEngine.open(address, writeAheadLog: false)
        let (record, bytes) = try CaseStoreTests.record("valid/contract-example-asset.xml")
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let store = try await StoreEngine.open(address, writeAheadLog: false)
                    var people = Array(0..<6)
                    if writer % 2 == 1 { people.reverse() }
                    people = Array(people[writer...] + people[..<writer])
                    var stored = 0
                    for round in 0..<3 {
                        let documents = people.map { person in
                            StoreRequest(record: Self.variant(record, bytes: 1000 * round + 10 * writer + person, person: person), sourceXML: bytes, sourceName: "w\(writer).xml")
                        }
                        stored += try await store.store(documents, now: Date()).count { if case .stored = $0 { true } else { false } }
                    }
                    await store.close()
                    return stored
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == [18, 18, 18, 18])
        #expect(try await first.counts() == (cases: 72, people: 6))
        await first.close()
    }

    @Test("the transfer history and the audit trail are append-only", arguments: TestStores.engines)
    func appendOnly(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let store = try await StoreEngine.open(address, writeAheadLog: false)
        let row = TransferRow(
            transferId: "T-1", kind: "YouthToAdult", personRef: "P1", senderCode: "A01", recipientCode: "N07", recipientName: "Northtown",
            documentId: "D1", packageSha256: String(repeating: "d", count: 64), packageName: "p.zip", status: "built",
            createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z")
        try await store.insertTransfer(row, detail: "built")
        try await store.append(AuditEvent(at: "2026-01-01T00:00:00Z", actor: "operator", accountId: nil, organisationCode: "A01", action: "export", address: nil, outcome: "ok"))
        await store.close()
        #expect(Self.tamper(address, "UPDATE transferEvent SET detail = 'changed'"))
        #expect(Self.tamper(address, "DELETE FROM transferEvent"))
        #expect(Self.tamper(address, "UPDATE auditEvent SET outcome = 'denied'"))
        #expect(Self.tamper(address, "DELETE FROM auditEvent"))
        if engine == .postgres {
            #expect(Self.tamper(address, "TRUNCATE auditEvent"))
            #expect(Self.tamper(address, "TRUNCATE transferEvent CASCADE"))
        }
        let reopened = try await StoreEngine.open(address, writeAheadLog: false)
        #expect(try await reopened.transferHistory("T-1").map(\.detail) == ["built"])
        #expect(try await reopened.auditEvents(AuditQuery()).map(\.outcome) == ["ok"])
        await reopened.close()
    }

    @Test("a transfer moves only when its check allows, newest first, history oldest first", arguments: TestStores.engines)
    func ledger(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        for (index, id) in ["T-1", "T-2"].enumerated() {
            try await store.insertTransfer(TransferRow(
                transferId: id, kind: "YouthToAdult", personRef: "P1", senderCode: "A01", recipientCode: "N07", recipientName: "Northtown",
                documentId: "D\(index)", packageSha256: String(repeating: "e", count: 64), packageName: "\(id).zip", status: "built",
                createdAt: "2026-01-0\(index + 1)T00:00:00Z", updatedAt: "2026-01-0\(index + 1)T00:00:00Z"), detail: nil)
        }
        struct Refused: Error {}
        let moved = try await store.moveTransfer("T-1", to: "sent", at: "2026-01-03T00:00:00Z", detail: "outbox", reason: nil) { current in
            if current != "built" { throw Refused() }
        }
        #expect(moved?.status == "sent")
        await #expect(throws: Refused.self) {
            _ = try await store.moveTransfer("T-1", to: "sent", at: "2026-01-04T00:00:00Z", detail: nil, reason: nil) { current in
                if current != "built" { throw Refused() }
            }
        }
        try await store.noteTransfer("T-1", at: "2026-01-05T00:00:00Z", detail: "delivery failed", reason: "SFTP-DOWN")
        #expect(try await store.moveTransfer("T-9", to: "sent", at: "x", detail: nil, reason: nil) { _ in } == nil)
        #expect(try await store.transfers().map(\.transferId) == ["T-2", "T-1"])
        #expect(try await store.transfer("T-1")?.reason == "SFTP-DOWN")
        #expect(try await store.transferHistory("T-1").map(\.toStatus) == ["built", "sent", "sent"])
        #expect(try await store.transferHistory("T-1").map(\.fromStatus) == [nil, "built", "sent"])
        await store.close()
    }

    @Test("one package decided by four importers at once is decided once", arguments: TestStores.engines)
    func decidedOnce(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let (record, bytes) = try CaseStoreTests.record("valid/contract-example-assetplus.xml")
        let package = String(repeating: "f", count: 64)
        let decisions = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store = try await StoreEngine.open(address, writeAheadLog: false)
                    let (wrote, _) = try await store.decidePackage(receiver: "N07", packageSha256: package, transferId: "T-1") { earlier, decided -> (PackageDecision, Bool) in
                        if earlier != nil || decided { return (.nothing, false) }
                        let accepted = PackageCase(
                            record: record, sourceXML: bytes, sourceName: "AssetPlus.XML", now: Date(), holders: ["N07", "A01"],
                            documents: [NewCaseDocument(fileName: "NOCO.xml", mediaType: "application/xml", sha256: package, bytes: Data("<n/>".utf8), transferId: "T-1", isNOCO: true)])
                        let received = ReceivedPackage(receiverCode: "N07", packageSha256: package, transferId: "T-1", decision: "accepted", reasons: "", caseId: nil, decidedAt: "2026-01-01T00:00:00Z", receiptXML: Data("<r/>".utf8))
                        return (.record(case: accepted, received: received), true)
                    }
                    await store.close()
                    return wrote
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(decisions.filter { $0 }.count == 1)
        let store = try await StoreEngine.open(address, writeAheadLog: false)
        let received = try await store.receivedPackages()
        #expect(received.count == 1)
        let caseId = try #require(received.first?.caseId)
        #expect(try await store.receivedPackage(receiver: "N07", packageSha256: package)?.receiptXML == Data("<r/>".utf8))
        #expect(try await store.caseDocuments(caseId: caseId).map(\.fileName) == ["NOCO.xml"])
        let document = try #require(try await store.caseDocuments(caseId: caseId).first)
        #expect(try await store.caseDocumentBytes(caseId: caseId, documentId: document.id)?.bytes == Data("<n/>".utf8))
        #expect(try await store.caseDocumentBytes(caseId: caseId, documentId: document.id, scope: OrganisationScope(["Z99"])) == nil)
        #expect(try await store.holders(caseId: caseId) == ["A01", "N07"])
        await store.close()
    }

    @Test("the batch journal: a decision once, in the same transaction as its case; receipts answered under a name", arguments: TestStores.engines)
    func journal(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        let killed = try await store.beginBatchRun(now: Date())
        let run = try await store.beginBatchRun(now: Date())
        #expect(run != killed)
        let (record, bytes) = try CaseStoreTests.record("valid/asset-core-profile.xml")
        let decision = JournalledStore(document: StoreRequest(record: record, sourceXML: bytes, sourceName: "a.xml")) { outcome in
            guard case .stored(let caseId, _) = outcome else { throw StoreError(code: "TEST", message: "not stored", path: nil) }
            return ProcessedFile(sha256: record.source.sha256, name: "a.xml", kind: "assessment", outcome: "stored", destination: "archive", codes: [], caseId: caseId, runId: run, decidedAt: "2026-01-01T00:00:00Z")
        }
        let file = try #require(try await store.storeAndJournal([decision], now: Date()).first)
        #expect(try await store.processedFile(sha256: record.source.sha256, name: "a.xml") == file)
        await #expect(throws: (any Error).self) { try await store.journal(file) }
        // A journal that refuses rolls its case back with it.
        let (other, otherBytes) = try CaseStoreTests.record("valid/contract-example-asset.xml")
        await #expect(throws: (any Error).self) {
            _ = try await store.storeAndJournal([JournalledStore(document: StoreRequest(record: other, sourceXML: otherBytes, sourceName: "b.xml")) { _ in
                throw StoreError(code: "TEST", message: "refused", path: nil)
            }], now: Date())
        }
        #expect(try await store.caseId(sha256: other.source.sha256) == nil)
        // In a group, one refusing journal rolls back the whole group: cases and rows.
        let accepted = JournalledStore(document: StoreRequest(record: other, sourceXML: otherBytes, sourceName: "c.xml")) { outcome in
            ProcessedFile(sha256: other.source.sha256, name: "c.xml", kind: "assessment", outcome: "stored", destination: "archive", codes: [], runId: run, decidedAt: "2026-01-01T00:00:00Z")
        }
        let refusing = JournalledStore(document: StoreRequest(record: Self.variant(other, bytes: 7, person: 7), sourceXML: otherBytes, sourceName: "d.xml")) { _ in
            throw StoreError(code: "TEST", message: "refused", path: nil)
        }
        await #expect(throws: (any Error).self) { _ = try await store.storeAndJournal([accepted, refusing], now: Date()) }
        #expect(try await store.caseId(sha256: other.source.sha256) == nil)
        #expect(try await store.processedFile(sha256: other.source.sha256, name: "c.xml") == nil)
        let receipt = ProcessedFile(sha256: String(repeating: "1", count: 64), name: "r.xml", kind: "package", outcome: "accepted", destination: "archive", codes: ["B", "A"], receiptName: "R.xml", receiptXML: Data("<receipt/>".utf8), runId: run, decidedAt: "2026-01-01T00:00:00Z")
        _ = try await store.journal(receiptNamed: "R.xml") { earlier in
            #expect(earlier.isEmpty)
            return receipt
        }
        _ = try await store.journal(receiptNamed: "R.xml") { earlier in
            #expect(earlier == [Data("<receipt/>".utf8)])
            var again = receipt
            again.name = "r2.xml"
            return again
        }
        #expect(try await store.processedFiles().map(\.name) == ["a.xml", "r.xml", "r2.xml"])
        #expect(try await store.processedFiles().last?.codes == "A B")
        try await store.finishBatchRun(run, status: "finished", summaryJSON: Data("{}".utf8), now: Date())
        await store.close()
    }

    @Test("PostgreSQL's batch lock is one on the whole database; SQLite leaves it to a file", arguments: TestStores.engines)
    func batchLock(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let first = try await StoreEngine.open(address, writeAheadLog: false)
        let second = try await StoreEngine.open(address, writeAheadLog: false)
        guard engine == .postgres else {
            #expect(try await first.takeBatchLock() == nil)
            return
        }
        let lock = try #require(try await first.takeBatchLock())
        await #expect {
            _ = try await second.takeBatchLock()
        } throws: { error in (error as? StoreError)?.code == "BATCH-LOCKED" }
        await lock.release()
        let again = try #require(try await second.takeBatchLock())
        await again.release()
        await first.close()
        await second.close()
    }

    @Test("PostgreSQL: the batch lock's connection cut (as a server restart cuts every connection) ends the lock; the holder's next change fails BATCH-LOCK-LOST, writing nothing, and another batch may take the lock", .enabled(if: TestStores.postgresAddress != nil))
    func batchLockLost() async throws {
        let address = try TestStores.freshAddress(.postgres)
        let first = try await StoreEngine.open(address, writeAheadLog: false)
        let second = try await StoreEngine.open(address, writeAheadLog: false)
        let lock = try #require(try await first.takeBatchLock())
        let run = try await first.beginBatchRun(now: Date())
        @Sendable func decided(_ name: String) -> ProcessedFile {
            ProcessedFile(sha256: String(repeating: "a", count: 64), name: name, kind: "unknown", outcome: "quarantined", destination: "quarantine", codes: ["X"], runId: run, decidedAt: "2026-01-01T00:00:00Z")
        }
        try await first.journal(decided("a.xml"))
        // The lock's own session, ended by the server (waiting up to 10 s for it to go). Only
        // this test's database: pg_locks shows the whole cluster, other tests' locks too.
        let cut = try TestStores.psql(address, "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = 7304 AND objid = 0 AND objsubid = 2 AND granted")
        #expect(cut == "t")
        let other = try #require(try await second.takeBatchLock())
        await #expect { try await first.journal(decided("b.xml")) } throws: { ($0 as? StoreError)?.code == "BATCH-LOCK-LOST" }
        let (record, bytes) = try CaseStoreTests.record("valid/asset-core-profile.xml")
        await #expect {
            _ = try await first.storeAndJournal([JournalledStore(document: StoreRequest(record: record, sourceXML: bytes, sourceName: "c.xml")) { _ in decided("c.xml") }], now: Date())
        } throws: { ($0 as? StoreError)?.code == "BATCH-LOCK-LOST" }
        #expect(try await second.processedFiles().map(\.name) == ["a.xml"])
        #expect(try await second.caseId(sha256: record.source.sha256) == nil)
        // The new holder's changes go on.
        try await second.journal(decided("d.xml"))
        #expect(try await second.processedFiles().map(\.name) == ["a.xml", "d.xml"])
        await other.release()
        await lock.release()
        await first.close()
        await second.close()
    }

    @Test("accounts, sessions and throttles; a disabled user's sessions end", arguments: TestStores.engines)
    func accounts(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        try await store.addOrganisation(OrganisationRecord(code: "A01", name: "Avon YOT", kind: "yot", createdAt: "2026-01-01T00:00:00Z"))
        await #expect { try await store.addOrganisation(OrganisationRecord(code: "A01", name: "x", kind: "yot", createdAt: "x")) } throws: {
            ($0 as? StoreError)?.code == "ORG-EXISTS"
        }
        try await store.setRequiresTOTP(organisation: "A01", true)
        #expect(try await store.organisation(code: "A01")?.requiresTOTP == true)
        await #expect { _ = try await store.addAccount(name: "u", organisation: "Z99", roles: [], passwordHash: "h", at: "t") } throws: {
            ($0 as? StoreError)?.code == "ORG-UNKNOWN"
        }
        let account = try await store.addAccount(name: "ann", organisation: "A01", roles: ["practitioner", "admin"], passwordHash: "hash", at: "2026-01-01T00:00:00Z")
        #expect(account.roles == ["admin", "practitioner"])
        await #expect { _ = try await store.addAccount(name: "ann", organisation: "A01", roles: [], passwordHash: "h", at: "t") } throws: {
            ($0 as? StoreError)?.code == "ACCOUNT-EXISTS"
        }
        try await store.setPasswordHash(account: account.id, "hash2", at: "2026-01-02T00:00:00Z")
        try await store.setTOTPSecret(account: account.id, "secret")
        #expect(try await store.account(name: "ann")?.passwordHash == "hash2")
        #expect(try await store.account(id: account.id)?.totpSecret == "secret")
        #expect(try await store.accounts(organisation: "A01").map(\.name) == ["ann"])
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.createSession(SessionRecord(idHash: "s1", accountId: account.id, csrfToken: "c", createdAt: now, lastSeenAt: now, secondFactorPending: true, address: "127.0.0.1"))
        try await store.completeSecondFactor(idHash: "s1")
        try await store.touchSession(idHash: "s1", at: now.addingTimeInterval(60))
        let session = try #require(try await store.session(idHash: "s1"))
        #expect(!session.secondFactorPending)
        #expect(session.lastSeenAt == now.addingTimeInterval(60))
        try await store.setDisabled(account: account.id, true)
        #expect(try await store.session(idHash: "s1") == nil)
        await #expect { try await store.setRoles(account: 9999, ["admin"]) } throws: { ($0 as? StoreError)?.code == "ACCOUNT-UNKNOWN" }
        #expect(try await store.recordFailure(key: "k", now: now, window: 60, limit: 3, lockFor: 300) == nil)
        #expect(try await store.recordFailure(key: "k", now: now, window: 60, limit: 3, lockFor: 300) == nil)
        #expect(try await store.recordFailure(key: "k", now: now, window: 60, limit: 3, lockFor: 300) == now.addingTimeInterval(300))
        #expect(try await store.lockedUntil(key: "k", now: now) == now.addingTimeInterval(300))
        try await store.clearFailures(key: "k")
        #expect(try await store.lockedUntil(key: "k", now: now) == nil)
        await store.close()
    }

    @Test("two writers' audit events are one sequence, filtered by actor, case and organisation", arguments: TestStores.engines)
    func auditSequence(engine: StoreKind) async throws {
        let address = try TestStores.freshAddress(engine)
        let nodes = [try await StoreEngine.open(address, writeAheadLog: false), try await StoreEngine.open(address, writeAheadLog: false)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, node) in nodes.enumerated() {
                group.addTask {
                    for n in 0..<10 {
                        try await node.append(AuditEvent(
                            at: "2026-01-01T00:00:\(String(format: "%02d", n))Z", actor: "node\(index)", accountId: nil,
                            organisationCode: index == 0 ? "A01" : "N07", action: "view-case", caseId: Int64(n), address: nil, outcome: "ok"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let all = try await nodes[1].auditEvents(AuditQuery())
        #expect(all.count == 20)
        let ids = all.compactMap(\.id)
        #expect(ids == ids.sorted() && Set(ids).count == 20)
        #expect(try await nodes[0].auditEvents(AuditQuery(actor: "node1")).count == 10)
        #expect(try await nodes[0].auditEvents(AuditQuery(organisation: "A01")).allSatisfy { $0.actor == "node0" })
        #expect(try await nodes[0].auditEvents(AuditQuery(caseId: 3)).count == 2)
        #expect(try await nodes[0].auditEvents(AuditQuery(since: "2026-01-01T00:00:05Z")).count == 10)
        for node in nodes { await node.close() }
    }
}
