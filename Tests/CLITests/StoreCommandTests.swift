import CaseStore
import Foundation
import GRDB
import TestSupport
import Testing

/// The store as commands see it: one created by several processes at once (SQLite and
/// PostgreSQL), an address that is not a store, a password in the address, a server not there.
@Suite("y2a and the store address")
struct StoreCommandTests {
    @Test("three `y2a import` processes creating a new store at once all succeed (migrations under one write lock)")
    func concurrentCreation() throws {
        for round in 0..<3 {
            let store = try Fixtures.temporaryDirectory().appendingPathComponent("new-\(round).sqlite").path
            let runs = try [0, 1, 2].map { _ in
                try Self.start(["import", "--quiet", "--store", store, "SampleFiles/valid"])
            }.map { try $0() }
            for run in runs {
                #expect(run.status == 0, "\(run.stderr)")
                #expect(!run.stderr.contains("already exists"), "\(run.stderr)")
            }
            let again = try Y2ACommand.run(["import", "--quiet", "--store", store, "SampleFiles/valid"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("already stored"))
            #expect(!again.stdout.contains(": stored as case"))
        }
    }

    @Test("import stores in groups; one document the store refuses fails alone, its group's others are stored")
    func groupFallback() throws {
        let folder = try Fixtures.temporaryDirectory()
        let store = folder.appendingPathComponent("g.sqlite").path
        let inbox = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let samples = ["asset-core-profile.xml", "assetplus-out-of-court.xml", "contract-example-asset.xml", "contract-example-assetplus.xml"]
        for (index, name) in samples.enumerated() {
            try FileManager.default.copyItem(atPath: Fixtures.sample("valid/\(name)"), toPath: inbox.appendingPathComponent(index == 2 ? "poison.xml" : name).path)
        }
        #expect(try Y2ACommand.run(["import", "--quiet", "--store", store, "SampleFiles/valid/asset-final-warning.xml"]).status == 0)
        try DatabaseQueue(path: store).write { db in
            try db.execute(sql: "CREATE TRIGGER refusePoison BEFORE INSERT ON caseRecord WHEN NEW.sourceName = 'poison.xml' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        let run = try Y2ACommand.run(["import", "--quiet", "--format", "json", "-j", "1", "--store", store, inbox.path])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stdout.contains("poison.xml"))
        #expect(try DatabaseQueue(path: store).read { db in
            try String.fetchAll(db, sql: "SELECT sourceName FROM caseRecord ORDER BY sourceName")
        } == ["asset-core-profile.xml", "asset-final-warning.xml", "assetplus-out-of-court.xml", "contract-example-assetplus.xml"])
    }

    @Test("a store address with a password, or of an unknown kind, is a usage error that shows no secret")
    func refusedAddresses() throws {
        let withPassword = try Y2ACommand.run(["transfer", "status", "--store", "postgres://y2a:s3cret@127.0.0.1:1/hub"])
        #expect(withPassword.status == 2)
        #expect(withPassword.stderr.contains("STORE-ADDRESS"))
        #expect(!withPassword.stderr.contains("s3cret"))
        let unknown = try Y2ACommand.run(["transfer", "status"], environment: ["Y2A_STORE": "mysql://y2a@host/db"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("STORE-ADDRESS"))
    }

    @Test("`sqlite:PATH` and Y2A_STORE name the same SQLite store as the path")
    func sqliteAddress() throws {
        let folder = try Fixtures.temporaryDirectory()
        let path = folder.appendingPathComponent("s.sqlite").path
        let first = try Y2ACommand.run(["import", "--quiet", "--store", "sqlite:\(path)", "SampleFiles/valid/asset-core-profile.xml"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try Y2ACommand.run(["import", "--quiet", "SampleFiles/valid/asset-core-profile.xml"], environment: ["Y2A_STORE": path])
        #expect(second.stdout.contains("already stored as case 1"), "\(second.stdout)")
    }

    @Test("a store migrated by a newer y2a: import exits 3 with STORE-TOO-NEW and stores nothing")
    func tooNew() throws {
        let store = try Fixtures.temporaryDirectory().appendingPathComponent("n.sqlite").path
        #expect(try Y2ACommand.run(["import", "--quiet", "--store", store, "SampleFiles/valid/asset-core-profile.xml"]).status == 0)
        try DatabaseQueue(path: store).write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-later')") }
        let run = try Y2ACommand.run(["import", "--quiet", "--store", store, "SampleFiles/valid"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("STORE-TOO-NEW"), "\(run.stderr)")
        #expect(run.stderr.contains("v9-later"))
        #expect(try DatabaseQueue(path: store).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM caseRecord") } == 1)
    }

    @Test("a PostgreSQL server that is not there: exit 3, STORE-UNAVAILABLE, the address shown without a password")
    func unreachable() throws {
        let run = try Y2ACommand.run(["transfer", "status", "--store", "postgres://y2a@127.0.0.1:1/hub?sslmode=disable"], environment: ["PGPASSWORD": "pw-not-shown"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("STORE-UNAVAILABLE"), "\(run.stderr)")
        #expect(run.stderr.contains("postgres://y2a@127.0.0.1:1/hub"))
        #expect(!run.stderr.contains("pw-not-shown"))
    }

    @Test("three `y2a import` processes into one new PostgreSQL database at once: all succeed, each case stored once", .enabled(if: TestStores.postgresAddress != nil))
    func concurrentPostgres() throws {
        let address = try TestStores.freshAddress(.postgres).description
        let runs = try [0, 1, 2].map { _ in
            try Self.start(["import", "--quiet", "--store", address, "SampleFiles/valid"])
        }.map { try $0() }
        for run in runs {
            #expect(run.status == 0, "\(run.stderr)")
        }
        let again = try Y2ACommand.run(["import", "--quiet", "--store", address, "SampleFiles/valid"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stdout.contains(": stored as case"), "\(again.stdout)")
        let cases = try TestStores.psql(try StoreAddress(parsing: address), "SELECT COUNT(*) FROM caseRecord")
        #expect(Int(cases) == Fixtures.validSampleNames.count)
    }

    @Test("a PostgreSQL store migrated by a newer y2a: import exits 3 with STORE-TOO-NEW and stores nothing", .enabled(if: TestStores.postgresAddress != nil))
    func tooNewPostgres() throws {
        let text = try TestStores.freshAddress(.postgres).description
        let address = try StoreAddress(parsing: text)
        #expect(try Y2ACommand.run(["import", "--quiet", "--store", text, "SampleFiles/valid/asset-core-profile.xml"]).status == 0)
        try TestStores.psql(address, "INSERT INTO y2a_migrations (identifier) VALUES ('v9-later')")
        let run = try Y2ACommand.run(["import", "--quiet", "--store", text, "SampleFiles/valid"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("STORE-TOO-NEW"), "\(run.stderr)")
        #expect(try TestStores.psql(address, "SELECT COUNT(*) FROM caseRecord") == "1")
    }

    /// Starts y2a in the background; the closure waits for it.
    static func start(_ arguments: [String]) throws -> () throws -> Y2ACommand.Run {
        let result = RunBox()
        let thread = Thread { result.set(Result { try Y2ACommand.run(arguments) }) }
        thread.start()
        return { try result.wait().get() }
    }
}

/// One result handed from a thread to the test.
final class RunBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Result<Y2ACommand.Run, any Error>?

    func set(_ value: Result<Y2ACommand.Run, any Error>) {
        condition.lock()
        self.value = value
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> Result<Y2ACommand.Run, any Error> {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value!
    }
}
