import CaseStore
import Foundation
import GRDB
import TestSupport
import Testing

/// `y2a store migrate FROM TO`: a SQLite store into PostgreSQL and back, verified, re-runnable.
@Suite("y2a store migrate", .enabled(if: TestStores.postgresAddress != nil))
struct StoreMigrateTests {
    /// Every table, row by row, as the engine's own reads give it (ids included).
    static func contents(_ address: StoreAddress) async throws -> [String] {
        let store = try await TestStores.open(address)
        defer { Task { await store.close() } }
        var lines: [String] = []
        for table in StoreCopier.tables {
            let copying = try #require(store as? any StoreCopying)
            var offset = 0
            while true {
                let rows = try await copying.copyRows(of: table, offset: offset, limit: 500)
                lines += rows.map { "\(table.name) \($0)" }
                if rows.count < 500 { break }
                offset += rows.count
            }
        }
        return lines
    }

    @Test("SQLite into PostgreSQL and back: every row kept with its id, verified, safe to re-run; new ids follow the copied ones")
    func roundTrip() async throws {
        let folder = try Fixtures.temporaryDirectory()
        let sqlite = folder.appendingPathComponent("a.sqlite").path
        #expect(try Y2ACommand.run(["import", "--quiet", "--store", sqlite, "SampleFiles/valid"]).status == 0)
        #expect(try Y2ACommand.run(["orgs", "add", "--store", sqlite, "--code", "N07", "--name", "Northtown PDU", "--kind", "probation"]).status == 0)
        #expect(try Y2ACommand.run(["users", "add", "--store", sqlite, "--org", "N07", "--name", "ann", "--password-stdin", "--bcrypt-cost", "4"], input: "correct horse battery\n").status == 0)
        let exported = try Y2ACommand.run(
            ["transfer", "export", "--store", sqlite, "SampleFiles/valid/assetplus-transfer-to-probation.xml", "--kind", "YouthToAdult", "--to", "N07", "--to-name", "Northtown PDU", "--out", folder.appendingPathComponent("outbox").path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let postgres = try TestStores.freshAddress(.postgres)

        let first = try Y2ACommand.run(["store", "migrate", sqlite, postgres.description])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("caseRecord: \(Fixtures.validSampleNames.count) rows"))
        #expect(first.stdout.contains("\(Fixtures.validSampleNames.count) source documents verified by SHA-256"))
        let original = try await Self.contents(.sqlite(path: sqlite))
        #expect(try await Self.contents(postgres) == original)
        #expect(original.contains { $0.hasPrefix("transferEvent ") } && original.contains { $0.hasPrefix("account ") })

        // Again: nothing doubled.
        #expect(try Y2ACommand.run(["store", "migrate", sqlite, postgres.description]).status == 0)
        #expect(try await Self.contents(postgres) == original)

        // And back into a new SQLite file: the same rows.
        let back = folder.appendingPathComponent("b.sqlite").path
        let returned = try Y2ACommand.run(["store", "migrate", postgres.description, back])
        #expect(returned.status == 0, "\(returned.stderr)")
        #expect(try await Self.contents(.sqlite(path: back)) == original)

        // The copy is a working store: a new case and audit event get the next ids.
        var changed = try Fixtures.process(file: Fixtures.sample("valid/asset-core-profile.xml"), convert: true).caseRecord!
        changed.source.sha256 = String(repeating: "9", count: 64)
        let store = try await TestStores.open(postgres)
        let outcome = try await store.store(changed, sourceXML: Data("<x/>".utf8), sourceName: "new.xml", now: Date(), holders: nil)
        guard case .stored(let caseId, _) = outcome else { Issue.record("not stored: \(outcome)"); return }
        #expect(caseId == Int64(Fixtures.validSampleNames.count + 1))
        try await store.append(AuditEvent(at: "2026-12-02T00:00:00Z", actor: "operator", accountId: nil, organisationCode: "N07", action: "view-case", address: nil, outcome: "ok"))
        let last = try await store.auditEvents(AuditQuery()).last?.id
        #expect(last == Int64(original.filter { $0.hasPrefix("auditEvent ") }.count + 1))
        await store.close()
    }

    @Test("into a store that holds other data: exit 3, STORE-MIGRATE names the table")
    func targetNotEmpty() async throws {
        let folder = try Fixtures.temporaryDirectory()
        let sqlite = folder.appendingPathComponent("a.sqlite").path
        #expect(try Y2ACommand.run(["import", "--quiet", "--store", sqlite, "SampleFiles/valid/asset-core-profile.xml"]).status == 0)
        let postgres = try TestStores.freshAddress(.postgres)
        #expect(try Y2ACommand.run(["import", "--quiet", "--store", postgres.description, "SampleFiles/valid/contract-example-asset.xml"]).status == 0)
        let run = try Y2ACommand.run(["store", "migrate", sqlite, postgres.description])
        #expect(run.status == 3)
        #expect(run.stderr.contains("STORE-MIGRATE"), "\(run.stderr)")
        #expect(try Y2ACommand.run(["store", "migrate", sqlite, sqlite]).status == 2)
    }
}
