import Access
import CaseStore
import Foundation
import GRDB
import Testing

/// A clock the tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.withLock { value } }
    func advance(_ seconds: TimeInterval) { lock.withLock { value += seconds } }
}

@Suite("Access")
struct AccessTests {
    static let password = "correct horse battery"

    /// A store with organisations N07 and B23 and a user of each; bcrypt at its lowest cost.
    static func service(clock: TestClock = TestClock(), configure: (inout AccessSettings) -> Void = { _ in }) async throws -> (CaseStore, AccessService) {
        let store = try CaseStore()
        var settings = AccessSettings()
        settings.bcryptCost = 4
        configure(&settings)
        let access = try await AccessService(store: store, settings: settings, clock: { clock.now })
        let root = Caller.commandLine(organisation: "N07")
        _ = try await access.addOrganisation(by: root, code: "N07", name: "Northtown PDU", kind: "probation")
        _ = try await access.addOrganisation(by: root, code: "B23", name: "Brookfield YOT", kind: "yot")
        _ = try await access.addUser(by: root, name: "alice", organisation: "N07", roles: [.admin], password: password)
        _ = try await access.addUser(by: root, name: "bob", organisation: "B23", roles: [.practitioner], password: password)
        return (store, access)
    }

    @Test("the policy: what each role may do, and only for its own organisation")
    func policy() {
        func caller(_ roles: Set<Role>, _ org: String = "N07") -> Caller {
            Caller(who: "x", accountId: 1, organisation: org, roles: roles, address: nil)
        }
        #expect(Policy.may(caller([.practitioner]), .readCases))
        #expect(!Policy.may(caller([.practitioner]), .manageUsers))
        #expect(!Policy.may(caller([.practitioner]), .readAudit, .organisation("N07")))
        #expect(!Policy.may(caller([.practitioner]), .handleTransfers))
        #expect(Policy.may(caller([.admin]), .readCases))
        #expect(Policy.may(caller([.admin]), .handleTransfers))
        #expect(Policy.may(caller([.admin]), .handleTransfers, .organisation("N07")))
        #expect(!Policy.may(caller([.admin]), .handleTransfers, .organisation("B23")))
        #expect(!Policy.may(caller([.practitioner]), .handleTransfers, .organisation("N07")))
        #expect(Policy.may(caller([.admin]), .manageUsers, .organisation("N07")))
        #expect(!Policy.may(caller([.admin]), .manageUsers, .organisation("B23")))
        #expect(!Policy.may(caller([.admin]), .manageUsers, .roles([.hubAdmin], organisation: "N07")))
        #expect(!Policy.may(caller([.admin]), .manageOrganisations))
        #expect(Policy.may(caller([.auditor]), .readAudit, .organisation("N07")))
        #expect(!Policy.may(caller([.auditor]), .readAudit, .organisation("B23")))
        #expect(!Policy.may(caller([.auditor]), .readCases))
        #expect(Policy.may(caller([.hubAdmin]), .manageOrganisations))
        #expect(Policy.may(caller([.hubAdmin]), .manageUsers, .roles([.hubAdmin], organisation: "B23")))
        #expect(!Policy.may(caller([.hubAdmin]), .readCases))
        // Transfers: practitioners and administrators, of their own organisation only.
        #expect(Policy.may(caller([.practitioner]), .readTransfers, .organisation("N07")))
        #expect(Policy.may(caller([.admin]), .readTransfers, .organisation("N07")))
        #expect(!Policy.may(caller([.admin]), .readTransfers, .organisation("B23")))
        #expect(!Policy.may(caller([.practitioner]), .readTransfers, .organisation("B23")))
        #expect(!Policy.may(caller([.auditor]), .readTransfers, .organisation("N07")))
        #expect(!Policy.may(caller([.hubAdmin]), .readTransfers, .organisation("N07")))
        for action in Action.allCases { #expect(!Policy.may(caller([]), action, .organisation("N07"))) }
    }

    @Test("passwords are bcrypt hashes; a wrong password and an unknown name fail alike; the audit trail records both")
    func signIn() async throws {
        let (store, access) = try await Self.service()
        let alice = try #require(try await store.account(name: "alice"))
        #expect(alice.passwordHash.hasPrefix("$2"))
        #expect(!alice.passwordHash.contains(Self.password))
        guard case .signedIn(let id) = try await access.signIn(name: "alice", password: Self.password, address: "10.0.0.1") else {
            Issue.record("alice did not sign in"); return
        }
        let session = try #require(try await access.authenticate(sessionId: id, address: "10.0.0.1"))
        #expect(session.caller.who == "alice" && session.caller.organisation == "N07" && session.caller.roles == [.admin])
        // The store keeps only the id's hash.
        #expect(try await store.session(idHash: id) == nil)
        #expect(try await access.signIn(name: "alice", password: "wrong password!", address: "10.0.0.1") == .failed)
        #expect(try await access.signIn(name: "nobody", password: Self.password, address: "10.0.0.1") == .failed)
        let events = try await store.auditEvents(.init())
        #expect(events.map(\.action).suffix(3) == ["sign-in", "sign-in-failed", "sign-in-failed"])
        #expect(!events.contains { ($0.detail ?? "").contains(Self.password) || $0.actor == "nobody" })
    }

    @Test("five failures lock the account name, with the lockout in the audit trail; the lock ends after its time")
    func accountLockout() async throws {
        let clock = TestClock()
        let (store, access) = try await Self.service(clock: clock)
        for _ in 1...4 { #expect(try await access.signIn(name: "alice", password: "not the password", address: "10.0.0.\(Int.random(in: 1...200))") == .failed) }
        guard case .locked = try await access.signIn(name: "alice", password: "not the password", address: "10.0.0.9") else {
            Issue.record("the fifth failure did not lock"); return
        }
        // Locked: even the right password is refused.
        guard case .locked = try await access.signIn(name: "alice", password: Self.password, address: "10.0.0.9") else {
            Issue.record("a locked account signed in"); return
        }
        #expect(try await store.auditEvents(.init()).contains { $0.action == "lockout" && $0.actor == "alice" })
        clock.advance(16 * 60)
        guard case .signedIn = try await access.signIn(name: "alice", password: Self.password, address: "10.0.0.9") else {
            Issue.record("the lock did not end"); return
        }
    }

    @Test("failures from one address lock that address for every account")
    func addressLockout() async throws {
        let (_, access) = try await Self.service { $0.addressFailureLimit = 3 }
        for name in ["x1", "x2"] { #expect(try await access.signIn(name: name, password: "guess guess guess", address: "192.0.2.7") == .failed) }
        guard case .locked = try await access.signIn(name: "x3", password: "guess guess guess", address: "192.0.2.7") else {
            Issue.record("the address was not locked"); return
        }
        guard case .locked = try await access.signIn(name: "alice", password: Self.password, address: "192.0.2.7") else {
            Issue.record("a locked address signed in"); return
        }
        guard case .signedIn = try await access.signIn(name: "alice", password: Self.password, address: "192.0.2.8") else {
            Issue.record("another address was refused"); return
        }
    }

    @Test("the last-seen time is written at most once a minute, so a page does not wait for a write per request")
    func touchInterval() async throws {
        let clock = TestClock()
        let (store, access) = try await Self.service(clock: clock)
        guard case .signedIn(let id) = try await access.signIn(name: "alice", password: Self.password, address: nil) else {
            Issue.record("no sign-in"); return
        }
        let signedInAt = clock.now
        func lastSeen() async throws -> Date? { try await store.session(idHash: Tokens.hash(id))?.lastSeenAt }
        clock.advance(30)
        #expect(try await access.authenticate(sessionId: id, address: nil) != nil)
        #expect(try await lastSeen() == signedInAt)  // 30 s: not written
        clock.advance(31)
        #expect(try await access.authenticate(sessionId: id, address: nil) != nil)
        #expect(try await lastSeen() == signedInAt.addingTimeInterval(61))  // 61 s: written
        clock.advance(59)
        #expect(try await access.authenticate(sessionId: id, address: nil) != nil)
        #expect(try await lastSeen() == signedInAt.addingTimeInterval(61))

        // A short idle timeout writes more often (a quarter of it): a user active every 50 s
        // with a 1-minute timeout stays signed in.
        let (_, strict) = try await Self.service(clock: clock) { $0.idleTimeout = 60 }
        guard case .signedIn(let active) = try await strict.signIn(name: "alice", password: Self.password, address: nil) else {
            Issue.record("no sign-in"); return
        }
        for _ in 0..<4 {
            clock.advance(50)
            #expect(try await strict.authenticate(sessionId: active, address: nil) != nil)
        }
        clock.advance(61)
        #expect(try await strict.authenticate(sessionId: active, address: nil) == nil)
    }

    @Test("sessions end when idle, at the absolute timeout, at sign-out and when the user is disabled")
    func sessionLifetime() async throws {
        let clock = TestClock()
        let (_, access) = try await Self.service(clock: clock) { $0.absoluteTimeout = 3600 }
        func signIn() async throws -> String {
            guard case .signedIn(let id) = try await access.signIn(name: "alice", password: Self.password, address: nil) else { throw AccessError(code: "T", message: "no sign-in") }
            return id
        }
        let idle = try await signIn()
        clock.advance(29 * 60)
        #expect(try await access.authenticate(sessionId: idle, address: nil) != nil)
        clock.advance(29 * 60)  // each use moves the idle deadline
        #expect(try await access.authenticate(sessionId: idle, address: nil) != nil)
        clock.advance(31 * 60)
        #expect(try await access.authenticate(sessionId: idle, address: nil) == nil)

        let busy = try await signIn()
        for _ in 0..<7 { clock.advance(10 * 60); _ = try await access.authenticate(sessionId: busy, address: nil) }
        #expect(try await access.authenticate(sessionId: busy, address: nil) == nil)  // past one hour

        let out = try await signIn()
        let caller = try #require(try await access.authenticate(sessionId: out, address: nil)).caller
        try await access.signOut(sessionId: out, caller: caller)
        #expect(try await access.authenticate(sessionId: out, address: nil) == nil)

        let disabled = try await signIn()
        try await access.setDisabled(by: .commandLine(organisation: "N07"), id: caller.accountId!, true)
        #expect(try await access.authenticate(sessionId: disabled, address: nil) == nil)
        #expect(try await access.signIn(name: "alice", password: Self.password, address: nil) == .failed)
    }

    @Test("an organisation that requires TOTP: the password alone opens nothing; the right code does")
    func secondFactor() async throws {
        let clock = TestClock()
        let (_, access) = try await Self.service(clock: clock)
        let root = Caller.commandLine(organisation: "N07")
        try await access.setRequiresTOTP(by: root, organisation: "N07", true)
        #expect(try await access.signIn(name: "alice", password: Self.password, address: nil) == .secondFactorNotEnrolled)
        let alice = try await access.managedUser(by: root, name: "alice")
        let secret = try await access.enrolSecondFactor(by: root, id: alice.id)
        guard case .secondFactorNeeded(let pending) = try await access.signIn(name: "alice", password: Self.password, address: nil) else {
            Issue.record("no second factor asked"); return
        }
        let half = try #require(try await access.authenticate(sessionId: pending, address: nil))
        #expect(half.secondFactorPending)
        #expect(try await access.completeSecondFactor(sessionId: pending, code: "000000" == SecondFactor.code(secret: secret, at: clock.now) ? "111111" : "000000", address: nil) == .failed)
        guard case .signedIn(let full) = try await access.completeSecondFactor(sessionId: pending, code: SecondFactor.code(secret: secret, at: clock.now), address: nil) else {
            Issue.record("the right code was refused"); return
        }
        #expect(full != pending)  // rotated
        #expect(try await access.authenticate(sessionId: pending, address: nil) == nil)
        #expect(try await access.authenticate(sessionId: full, address: nil)?.secondFactorPending == false)
    }

    @Test("TOTP codes match RFC 6238's SHA-1 test vector")
    func totpVector() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits → 287082.
        #expect(SecondFactor.code(secret: "12345678901234567890", at: Date(timeIntervalSince1970: 59)) == "287082")
        #expect(SecondFactor.verify("287082", secret: "12345678901234567890", at: Date(timeIntervalSince1970: 59)))
        #expect(!SecondFactor.verify("287083", secret: "12345678901234567890", at: Date(timeIntervalSince1970: 59)))
        #expect(SecondFactor.base32Secret("12345678901234567890") == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }

    @Test("an admin manages their own organisation's users only, and cannot make a hub administrator")
    func adminBoundaries() async throws {
        let (store, access) = try await Self.service()
        let alice = try #require(try await store.account(name: "alice"))
        let bob = try #require(try await store.account(name: "bob"))
        let asAlice = Caller(who: "alice", accountId: alice.id, organisation: "N07", roles: [.admin], address: nil)
        await #expect(throws: AccessError.self) { try await access.setDisabled(by: asAlice, id: bob.id, true) }
        await #expect(throws: AccessError.self) { try await access.addUser(by: asAlice, name: "carol", organisation: "B23", roles: [.practitioner], password: Self.password) }
        await #expect(throws: AccessError.self) { try await access.addUser(by: asAlice, name: "carol", organisation: "N07", roles: [.hubAdmin], password: Self.password) }
        await #expect(throws: AccessError.self) { try await access.addUser(by: asAlice, name: "carol", organisation: "N07", roles: [.practitioner], password: "short") }
        let carol = try await access.addUser(by: asAlice, name: "carol", organisation: "N07", roles: [.practitioner], password: Self.password)
        #expect(try await access.users(by: asAlice).map(\.name) == ["alice", "carol"])
        try await access.setRoles(by: asAlice, id: carol.id, roles: [.auditor])
        #expect(try await store.account(id: carol.id)?.roles == ["auditor"])
        let audit = try await store.auditEvents(.init(actor: "alice"))
        #expect(audit.map(\.action).contains("denied"))
        #expect(audit.contains { $0.action == "roles-changed" && $0.detail == "user \(carol.id) roles auditor" })
    }

    @Test("the audit trail is append-only: the store refuses to change or delete a row")
    func appendOnly() async throws {
        let (store, _) = try await Self.service()
        #expect(throws: (any Error).self) { try store.write { db in try db.execute(sql: "UPDATE auditEvent SET outcome = 'ok'") } }
        #expect(throws: (any Error).self) { try store.write { db in try db.execute(sql: "DELETE FROM auditEvent") } }
        #expect(try await store.auditEvents(.init()).count >= 4)
    }
}
