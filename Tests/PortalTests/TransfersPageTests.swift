import Access
import CaseStore
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Portal
import Testing

/// Ledger rows and receiver decisions written straight into a store, as the transfer commands
/// write them (the commands themselves are tested in TransfersTests).
enum TransferRecords {
    static let at = "2026-03-01T10:00:00Z"

    static func row(_ id: String, from sender: String, to recipient: String, person: String, kind: String = "YouthToAdult") -> TransferRow {
        TransferRow(
            transferId: id, kind: kind, personRef: person, senderCode: sender, recipientCode: recipient, recipientName: "\(recipient) office",
            documentId: UUID().uuidString, packageSha256: String(repeating: "b", count: 64), packageName: "\(id).y2a.zip",
            status: "awaiting", createdAt: at, updatedAt: at)
    }

    static func decide(_ store: any Store, receiver: String, id: String, from sender: String, person: String, rejected reasons: String? = nil, caseId: Int64? = nil) async throws {
        let decision = ReceivedPackage(
            receiverCode: receiver, packageSha256: UUID().uuidString, transferId: id, decision: reasons == nil ? "Accepted" : "Rejected",
            reasons: reasons ?? "", caseId: nil, decidedAt: at, receiptXML: nil, senderCode: sender, kind: "YouthToAdult", personRef: person)
        _ = try await store.decidePackage(receiver: receiver, packageSha256: decision.packageSha256, transferId: id) { _, _ in
            (.record(case: nil, received: decision), ())
        }
    }

    /// B23 sent a package to C41 (not N07), and decided one that C41 sent it: both ids.
    static func addB23Transfers(_ store: any Store) async throws -> (sent: String, received: String) {
        let sent = UUID().uuidString.lowercased()
        let received = UUID().uuidString.lowercased()
        try await store.insertTransfer(row(sent, from: "B23", to: "C41", person: "B23-Zedwardson-0"), detail: "package built")
        try await decide(store, receiver: "B23", id: received, from: "C41", person: "B23-Zedwardson-1", rejected: "WRONG_STAGE")
        return (sent, received)
    }
}

@Suite("Transfers page")
struct TransfersPageTests {
    /// B23 sent `rejectedId` to N07 (rejected by N07 with WRONG_STAGE) and `acceptedId` to C41
    /// (accepted); N07 sent `awaitingId` to B23.
    struct Exchange {
        let harness: PortalHarness
        let rejectedId = UUID().uuidString.lowercased()
        let acceptedId = UUID().uuidString.lowercased()
        let awaitingId = UUID().uuidString.lowercased()

        init() async throws {
            harness = try await PortalHarness(samples: false)
            let store = harness.store
            try await store.insertTransfer(TransferRecords.row(rejectedId, from: "B23", to: "N07", person: "CV-111"), detail: "package built")
            _ = try await store.moveTransfer(rejectedId, to: "transferred", at: "2026-03-01T10:05:00Z", detail: "delivered to /mnt/exchange/n07", reason: nil) { _ in }
            _ = try await store.moveTransfer(
                rejectedId, to: "rejected", at: "2026-03-01T11:00:00Z", detail: "receipt: Rejected by N07",
                reason: "WRONG_STAGE: The assessment's stage is Review") { _ in }
            try await TransferRecords.decide(store, receiver: "N07", id: rejectedId, from: "B23", person: "CV-111", rejected: "WRONG_STAGE")
            try await store.insertTransfer(TransferRecords.row(acceptedId, from: "B23", to: "C41", person: "CV-222", kind: "YotToYot"), detail: "package built")
            _ = try await store.moveTransfer(acceptedId, to: "transferred", at: "2026-03-02T10:05:00Z", detail: "delivered", reason: nil) { _ in }
            _ = try await store.moveTransfer(acceptedId, to: "accepted", at: "2026-03-02T11:00:00Z", detail: "receipt: Accepted by C41", reason: nil) { _ in }
            try await store.insertTransfer(TransferRecords.row(awaitingId, from: "N07", to: "B23", person: "CV-333"), detail: "package built")
        }
    }

    @Test("the sender sees what it sent, with status, kind, person id, recipient, when and the rejection reason; the filter keeps one status")
    func senderList() async throws {
        let exchange = try await Exchange()
        try await exchange.harness.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "bob")
            let page = try await browser.get(client, "/transfers")
            #expect(page.status == .ok)
            let body = String(buffer: page.body)
            for text in [
                exchange.rejectedId, exchange.acceptedId, "Youth to adult", "YOT to YOT", "CV-111", "CV-222", "N07 N07 office", "C41 C41 office",
                "Rejected", "Accepted", "2026-03-01T11:00:00Z", "WRONG_STAGE: The assessment&#39;s stage is Review",
            ] {
                #expect(body.contains(text), "the list lacks \(text)")
            }
            // The received list: N07 sent B23 nothing that B23 decided.
            #expect(body.contains("No package received."))
            #expect(!body.contains(exchange.awaitingId), "B23 is the recipient, not the sender, of an undecided package")
            let rejected = String(buffer: try await browser.get(client, "/transfers?status=rejected").body)
            #expect(rejected.contains(exchange.rejectedId) && !rejected.contains(exchange.acceptedId))
            #expect(rejected.contains("<option value=\"rejected\" selected>"))
            let awaiting = String(buffer: try await browser.get(client, "/transfers?status=awaiting").body)
            #expect(!awaiting.contains(exchange.rejectedId) && awaiting.contains("No transfer sent with this status."))
            // An unknown status is no filter.
            let any = String(buffer: try await browser.get(client, "/transfers?status=%3Cb%3E").body)
            #expect(any.contains(exchange.rejectedId) && any.contains(exchange.acceptedId) && !any.contains("<b>"))
        }
    }

    @Test("the receiver's practitioner sees its decisions (sender, kind, person id, reason) and what it sent; each transfer's full history")
    func receiverAndHistory() async throws {
        let exchange = try await Exchange()
        try await exchange.harness.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "nina")
            let body = String(buffer: try await browser.get(client, "/transfers").body)
            #expect(body.contains("<caption>Received</caption>"))
            for text in [exchange.rejectedId, "CV-111", ">B23<", ">Rejected<", ">WRONG_STAGE<", exchange.awaitingId, "CV-333"] {
                #expect(body.contains(text), "the list lacks \(text)")
            }
            #expect(!body.contains(exchange.acceptedId), "B23 → C41 is none of N07's business")
            // The history of a transfer sent to N07 on this hub, and N07's decision on it.
            let page = try await browser.get(client, "/transfers/\(exchange.rejectedId)")
            #expect(page.status == .ok)
            let history = String(buffer: page.body)
            #expect(history.contains("Sent to you") && history.contains("Your decisions"))
            for text in ["package built", "delivered to /mnt/exchange/n07", "receipt: Rejected by N07", "2026-03-01T10:05:00Z", ">Transferred<"] {
                #expect(history.contains(text), "the history lacks \(text)")
            }
            // Upper-case ids are the same transfer.
            #expect(try await browser.get(client, "/transfers/\(exchange.rejectedId.uppercased())").status == .ok)
        }
        try await exchange.harness.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "bob")
            let history = String(buffer: try await browser.get(client, "/transfers/\(exchange.acceptedId)").body)
            let order = ["package built", "delivered", "receipt: Accepted by C41"].compactMap { history.range(of: $0)?.lowerBound }
            #expect(order.count == 3 && order == order.sorted(), "the history is oldest first")
        }
    }

    @Test("another organisation's transfer answers exactly as a missing one; views, found or not, are audited")
    func boundaries() async throws {
        let exchange = try await Exchange()
        try await exchange.harness.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "alice")
            let other = try await browser.get(client, "/transfers/\(exchange.acceptedId)")
            let missing = try await browser.get(client, "/transfers/\(UUID().uuidString.lowercased())")
            let garbage = try await browser.get(client, "/transfers/not%20an%20id")
            #expect(other.status == .notFound && missing.status == .notFound && garbage.status == .notFound)
            #expect(String(buffer: other.body) == String(buffer: missing.body))
            #expect(String(buffer: other.body) == String(buffer: garbage.body))
            #expect(try await browser.get(client, "/transfers/\(exchange.rejectedId)").status == .ok)
        }
        let events = try await exchange.harness.store.auditEvents(.init(actor: "alice"))
        #expect(events.contains { $0.action == "view-transfer" && $0.outcome == "not-found" && $0.transferId == exchange.acceptedId })
        #expect(events.contains { $0.action == "view-transfer" && $0.outcome == "not-found" && $0.transferId == nil })
        #expect(events.contains { $0.action == "view-transfer" && $0.outcome == "ok" && $0.transferId == exchange.rejectedId })
    }

    @Test("roles: practitioner and admin only; an auditor, a hub administrator and a user without roles are refused; nobody signed in is sent to sign in")
    func roles() async throws {
        let exchange = try await Exchange()
        _ = try await exchange.harness.access.addUser(
            by: .commandLine(organisation: "N07"), name: "audrey", organisation: "N07", roles: [.auditor], password: PortalHarness.password)
        try await exchange.harness.app.test(.router) { client in
            for (user, expected) in [("nina", HTTPResponse.Status.ok), ("alice", .ok), ("audrey", .forbidden), ("hattie", .forbidden), ("nobody", .forbidden)] {
                var browser = Browser()
                _ = try await browser.signIn(client, user)
                for path in ["/transfers", "/transfers/\(exchange.rejectedId)"] {
                    let response = try await browser.get(client, path)
                    #expect(response.status == expected, "\(user) \(path): \(response.status.code)")
                    if expected == .forbidden { #expect(!String(buffer: response.body).contains("CV-111")) }
                }
                let home = String(buffer: try await browser.get(client, "/").body)
                // The Transfers link is in the banner exactly when the page opens.
                #expect(home.contains("href=\"/transfers\"") == (expected == .ok), "\(user)'s banner")
            }
            var anonymous = Browser()
            #expect(try await anonymous.get(client, "/transfers").headers[.location] == "/sign-in")
        }
        let listed = try await exchange.harness.store.auditEvents(.init(actor: "nina")).filter { $0.action == "list-transfers" }
        #expect(listed.count == 1 && listed[0].detail == "1 sent, 1 received")
        let refused = try await exchange.harness.store.auditEvents(.init(actor: "audrey"))
        #expect(!refused.contains { $0.action == "list-transfers" || $0.action == "view-transfer" })
    }
}
