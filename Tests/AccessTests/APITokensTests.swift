import Access
import CaseStore
import Foundation
import TestSupport
import Testing

/// API tokens on both engines: shown once, stored as a hash, one live name per organisation,
/// revoked and expired ones refused, the answers kept for idempotency keys.
@Suite("API tokens")
struct APITokensTests {
    static func setUp(_ engine: StoreKind, now: @escaping @Sendable () -> Date = { Date() }) async throws -> (any Store, APITokens) {
        let store = try await TestStores.open(engine)
        try await store.addOrganisation(OrganisationRecord(code: "N07", name: "Northtown PDU", kind: "probation", requiresTOTP: false, createdAt: "2026-12-01T00:00:00Z"))
        try await store.addOrganisation(OrganisationRecord(code: "B23", name: "Brookfield YOT", kind: "yot", requiresTOTP: false, createdAt: "2026-12-01T00:00:00Z"))
        return (store, APITokens(store: store, clock: now))
    }

    @Test("a token is shown once, stored as its SHA-256, and acts for its organisation; revoked or expired it is refused", arguments: TestStores.engines)
    func lifecycle(engine: StoreKind) async throws {
        let clock = TestClock()
        let (store, tokens) = try await Self.setUp(engine, now: { clock.now })
        let admin = Caller.commandLine(organisation: "N07")
        let (token, record) = try await tokens.add(organisation: "N07", name: "nDelius feed", expires: clock.now.addingTimeInterval(3600), by: admin)
        #expect(token.hasPrefix(APITokens.prefix) && token.count > 40)
        #expect(record.tokenHash == Tokens.hash(token) && record.tokenHash != token)
        #expect(try await store.apiTokens(organisation: nil).map(\.tokenHash) == [Tokens.hash(token)])

        guard case .valid(let caller, let id) = try await tokens.check(bearer: token, address: "127.0.0.1", requestId: "r1") else {
            Issue.record("a live token was not valid")
            return
        }
        #expect(caller.organisation == "N07" && caller.who == "token:nDelius feed" && id == record.id)
        #expect(try await tokens.check(bearer: token + "x", address: nil, requestId: "r2") == .unknown)
        #expect(try await tokens.check(bearer: "not-a-token", address: nil, requestId: "r3") == .unknown)

        // One live token of a name per organisation; another organisation may use the name.
        await #expect(throws: StoreError.self) { try await tokens.add(organisation: "N07", name: "nDelius feed", expires: nil, by: admin) }
        _ = try await tokens.add(organisation: "B23", name: "nDelius feed", expires: nil, by: .commandLine(organisation: "B23"))
        // Only an administrator of the organisation (or the hub) makes or revokes its tokens.
        let practitioner = Caller(who: "nina", accountId: 1, organisation: "N07", roles: [.practitioner], address: nil)
        await #expect(throws: AccessError.self) { try await tokens.add(organisation: "N07", name: "other", expires: nil, by: practitioner) }
        let b23Admin = Caller(who: "bob", accountId: 2, organisation: "B23", roles: [.admin], address: nil)
        await #expect(throws: AccessError.self) { try await tokens.revoke(id: record.id, organisation: "N07", by: b23Admin) }

        clock.advance(3601)
        #expect(try await tokens.check(bearer: token, address: nil, requestId: "r4") == .expired(name: "nDelius feed", organisation: "N07"))
        #expect(try await tokens.revoke(id: record.id, organisation: "N07", by: admin))
        #expect(try await tokens.check(bearer: token, address: nil, requestId: "r5") == .revoked(name: "nDelius feed", organisation: "N07"))
        // Revoking again, or another organisation's token, changes nothing and is not audited.
        #expect(try await !tokens.revoke(id: record.id, organisation: "N07", by: admin))
        let events = try await store.auditEvents(AuditQuery())
        #expect(events.filter { $0.action == "token-revoked" }.count == 1)
        #expect(events.filter { $0.action == "token-added" }.count == 2)
        #expect(!events.contains { ($0.detail ?? "").contains(token) })
    }

    @Test("an idempotency key keeps its first answer; old answers are forgotten", arguments: TestStores.engines)
    func idempotentAnswers(engine: StoreKind) async throws {
        let (store, tokens) = try await Self.setUp(engine)
        let (_, record) = try await tokens.add(organisation: "N07", name: "feed", expires: nil, by: .commandLine(organisation: "N07"))
        let first = IdempotentAnswer(requestHash: "aa", status: 200, contentType: "application/xml", body: Data([0, 1, 2, 255]), createdAt: "2026-12-01T00:00:00Z")
        try await store.keepIdempotentAnswer(tokenId: record.id, key: "k-1", first)
        try await store.keepIdempotentAnswer(tokenId: record.id, key: "k-1", IdempotentAnswer(requestHash: "bb", status: 500, contentType: "x", body: Data(), createdAt: "2026-12-02T00:00:00Z"))
        #expect(try await store.idempotentAnswer(tokenId: record.id, key: "k-1") == first)
        #expect(try await store.idempotentAnswer(tokenId: record.id, key: "k-2") == nil)
        try await store.forgetIdempotentAnswers(before: "2026-12-01T12:00:00Z")
        #expect(try await store.idempotentAnswer(tokenId: record.id, key: "k-1") == nil)
    }
}

