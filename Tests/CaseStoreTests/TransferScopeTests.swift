import CaseStore
import Foundation
import TestSupport
import Testing

/// The organisation-scoped transfer queries the portal uses: another organisation's transfer
/// is never read.
@Suite("Transfer scope")
struct TransferScopeTests {
    static func row(_ id: String, from sender: String, to recipient: String) -> TransferRow {
        TransferRow(
            transferId: id, kind: "YouthToAdult", personRef: "P-\(id)", senderCode: sender, recipientCode: recipient, recipientName: recipient,
            documentId: "d", packageSha256: String(repeating: "c", count: 64), packageName: "\(id).y2a.zip", status: "awaiting",
            createdAt: "2026-01-0\(id.count % 9)T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z")
    }

    // On both engines: the PostgreSQL engine has its own SQL for each of these queries.
    @Test("sent lists the sender's own; a transfer is seen by its sender and its recipient only, with its history; decisions by their receiver only", arguments: TestStores.engines)
    func scope(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        try await store.insertTransfer(Self.row("t1", from: "B23", to: "N07"), detail: "package built")
        try await store.insertTransfer(Self.row("t22", from: "B23", to: "C41"), detail: "package built")
        try await store.insertTransfer(Self.row("t333", from: "N07", to: "B23"), detail: "package built")
        _ = try await store.moveTransfer("t1", to: "transferred", at: "2026-01-02T00:00:00Z", detail: "delivered", reason: nil) { _ in }
        #expect(try await store.transfers(sentBy: "B23").map(\.transferId).sorted() == ["t1", "t22"])
        #expect(try await store.transfers(sentBy: "N07").map(\.transferId) == ["t333"])
        #expect(try await store.transfers(sentBy: "C41").isEmpty)
        let seen = try #require(try await store.transfer("t1", party: "N07"))
        #expect(seen.row.status == "transferred" && seen.history.map(\.toStatus) == ["awaiting", "transferred"])
        #expect(try await store.transfer("t1", party: "B23") != nil)
        #expect(try await store.transfer("t22", party: "N07") == nil)
        #expect(try await store.transfer("missing", party: "N07") == nil)

        let decision = ReceivedPackage(
            receiverCode: "N07", packageSha256: "s1", transferId: "t1", decision: "Rejected", reasons: "WRONG_STAGE", caseId: nil,
            decidedAt: "2026-01-03T00:00:00Z", receiptXML: nil, senderCode: "B23", kind: "YouthToAdult", personRef: "P-t1")
        _ = try await store.decidePackage(receiver: "N07", packageSha256: "s1", transferId: "t1") { _, _ in (.record(case: nil, received: decision), ()) }
        let kept = try #require(try await store.receivedPackages(receiver: "N07").first)
        #expect(kept.senderCode == "B23" && kept.kind == "YouthToAdult" && kept.personRef == "P-t1" && kept.reasons == "WRONG_STAGE")
        #expect(try await store.receivedPackages(receiver: "N07", transferId: "t1").count == 1)
        #expect(try await store.receivedPackages(receiver: "B23").isEmpty)
        #expect(try await store.receivedPackages(receiver: "B23", transferId: "t1").isEmpty)
    }
}
