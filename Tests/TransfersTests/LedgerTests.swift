import CaseRecord
import CaseStore
import Foundation
import Gateway
import Testing
import Transfers

@Suite("Ledger: statuses, moves, receipts and delivery")
struct LedgerTests {
    /// A transfer recorded as awaiting in a fresh sender store.
    func exported(_ exchange: Exchange) async throws -> PackageBuilder.Built {
        let built = try exchange.build("assetplus-transfer-yot-to-yot.xml", kind: .yotToYot)
        try await exchange.ledger.recordExport(built.manifest, documentId: built.record.source.documentId, packageSha256: built.packageSha256)
        return built
    }

    static let allowed: Set<String> = ["awaiting>transferred", "transferred>awaiting", "transferred>accepted", "transferred>rejected"]

    @Test(arguments: TransferStatus.allCases)
    func onlyTheContractsMovesAreAllowed(from: TransferStatus) async throws {
        for to in TransferStatus.allCases {
            #expect(TransferLedger.isAllowed(from: from, to: to) == Self.allowed.contains("\(from.rawValue)>\(to.rawValue)"))
        }
    }

    @Test func allowedMovesAreRecordedInTheHistory() async throws {
        let exchange = Exchange()
        let id = try await exported(exchange).manifest.transferId
        try await exchange.ledger.move(id, to: .transferred, detail: "sent")
        try await exchange.ledger.move(id, to: .awaiting, detail: "delivery failed: disk full")
        try await exchange.ledger.move(id, to: .transferred, detail: "sent again")
        try await exchange.ledger.move(id, to: .rejected, detail: "receipt", reason: "WRONG_STAGE")
        let history = try await exchange.sender.transferHistory(id)
        #expect(history.map(\.toStatus) == ["awaiting", "transferred", "awaiting", "transferred", "rejected"])
        #expect(history.map(\.fromStatus) == [nil, "awaiting", "transferred", "awaiting", "transferred"])
        #expect(history[2].detail == "delivery failed: disk full")
        #expect(try await exchange.sender.transfer(id)?.reason == "WRONG_STAGE")
    }

    @Test(arguments: [
        ([], TransferStatus.accepted, "awaiting"),
        ([], .rejected, "awaiting"),
        ([], .awaiting, "awaiting"),
        ([TransferStatus.transferred], .transferred, "transferred"),
        ([.transferred, .accepted], .rejected, "accepted"),
        ([.transferred, .accepted], .awaiting, "accepted"),
        ([.transferred, .rejected], .transferred, "rejected"),
        ([.transferred, .rejected], .accepted, "rejected"),
    ])
    func refusedMovesNameTheStatusAndTheMove(path: [TransferStatus], attempt: TransferStatus, current: String) async throws {
        let exchange = Exchange()
        let id = try await exported(exchange).manifest.transferId
        for status in path { try await exchange.ledger.move(id, to: status, detail: nil) }
        let before = try await exchange.sender.transferHistory(id)
        let error = try await #require(throws: TransferMoveError.self) {
            try await exchange.ledger.move(id, to: attempt, detail: nil)
        }
        #expect(error.message.contains("the status is \(current)"))
        #expect(error.message.contains("\(current) → \(attempt.rawValue)"))
        #expect(try await exchange.sender.transfer(id)?.status == current)
        #expect(try await exchange.sender.transferHistory(id) == before)
    }

    @Test func unknownTransfer() async throws {
        await #expect(throws: TransferMoveError.self) {
            try await Exchange().ledger.move("00000000-0000-0000-0000-000000000000", to: .transferred, detail: nil)
        }
    }

    @Test func historyIsAppendOnly() async throws {
        let exchange = Exchange()
        let id = try await exported(exchange).manifest.transferId
        #expect(throws: (any Error).self) {
            try exchange.sqliteSender.write { db in try db.execute(sql: "UPDATE transferEvent SET toStatus = 'accepted'") }
        }
        #expect(throws: (any Error).self) {
            try exchange.sqliteSender.write { db in try db.execute(sql: "DELETE FROM transferEvent") }
        }
        #expect(try await exchange.sender.transferHistory(id).count == 1)
    }

    // MARK: Receipts

    func transferred(_ exchange: Exchange) async throws -> String {
        let id = try await exported(exchange).manifest.transferId
        try await exchange.ledger.move(id, to: .transferred, detail: nil)
        return id
    }

    @Test func rejectedReceiptKeepsItsReasons() async throws {
        let exchange = Exchange()
        let id = try await transferred(exchange)
        let receipt = TransferReceipt(transferId: id, decision: .rejected, decidedAt: "2016-09-15T09:00:00+01:00",
                                      decidedBy: .init(code: "N07", name: "PDU"), reasons: [Reason(.wrongStage, "The stage is Review.")])
        let (_, row) = try await exchange.ledger.apply(receipt: receipt.xmlData(), name: "r.xml", schemas: Fixtures.schemas)
        #expect(row.status == "rejected")
        #expect(row.reason == "WRONG_STAGE: The stage is Review.")
        #expect(try await exchange.sender.transferHistory(id).last?.detail?.contains("WRONG_STAGE") == true)
    }

    @Test func rejectedReceiptWithoutAReasonIsRefusedAndNothingChanges() async throws {
        let exchange = Exchange()
        let id = try await transferred(exchange)
        let receipt = TransferReceipt(transferId: id, decision: .rejected, decidedAt: "2016-09-15T09:00:00Z", decidedBy: .init(code: "N07", name: "PDU"), reasons: [])
        let error = try await #require(throws: TransferDocumentError.self) {
            try await exchange.ledger.apply(receipt: receipt.xmlData(), name: "r.xml", schemas: Fixtures.schemas)
        }
        #expect(error.message.contains("at least one Reason"))
        #expect(try await exchange.sender.transfer(id)?.status == "transferred")
        #expect(try await exchange.sender.transferHistory(id).count == 2)
    }

    @Test func receiptFromAnotherOrganisationIsRefused() async throws {
        let exchange = Exchange()
        let id = try await transferred(exchange)
        let receipt = TransferReceipt(transferId: id, decision: .accepted, decidedAt: "2016-09-15T09:00:00Z", decidedBy: .init(code: "N99", name: "Other"), reasons: [])
        await #expect(throws: TransferRefusal.self) {
            try await exchange.ledger.apply(receipt: receipt.xmlData(), name: "r.xml", schemas: Fixtures.schemas)
        }
        #expect(try await exchange.sender.transfer(id)?.status == "transferred")
    }

    @Test func receiptBeforeDeliveryIsRefused() async throws {
        let exchange = Exchange()
        let id = try await exported(exchange).manifest.transferId
        let receipt = TransferReceipt(transferId: id, decision: .accepted, decidedAt: "2016-09-15T09:00:00Z", decidedBy: .init(code: "N07", name: "PDU"), reasons: [])
        let error = try await #require(throws: TransferMoveError.self) {
            try await exchange.ledger.apply(receipt: receipt.xmlData(), name: "r.xml", schemas: Fixtures.schemas)
        }
        #expect(error.message.contains("awaiting → accepted"))
    }

    @Test func receiptForAnUnknownTransferIsRefused() async throws {
        let receipt = TransferReceipt(transferId: TransferClock.newTransferId(), decision: .accepted, decidedAt: "2016-09-15T09:00:00Z", decidedBy: .init(code: "N07", name: "PDU"), reasons: [])
        await #expect(throws: TransferRefusal.self) {
            try await Exchange().ledger.apply(receipt: receipt.xmlData(), name: "r.xml", schemas: Fixtures.schemas)
        }
    }

    // MARK: Delivery

    /// The ledger never says "transferred" for a package that was not delivered.
    @Test func failedDeliveryStaysAwaitingWithTheError() async throws {
        let exchange = Exchange()
        let built = try await exported(exchange)
        let packageURL = exchange.folder.appendingPathComponent(built.manifest.packageFileName)
        try built.package.write(to: packageURL)
        await #expect(throws: (any Error).self) {
            try await exchange.ledger.send(packageURL, toFolder: exchange.folder.appendingPathComponent("no-such-folder"), schemas: Fixtures.schemas)
        }
        let row = try #require(try await exchange.sender.transfer(built.manifest.transferId))
        #expect(row.status == "awaiting")
        let history = try await exchange.sender.transferHistory(built.manifest.transferId)
        #expect(history.map(\.toStatus) == ["awaiting", "awaiting"])
        #expect(!history.contains { $0.toStatus == "transferred" })
        #expect(history.last?.detail?.contains("delivery failed") == true)
        // Sent again once the folder exists.
        let inbox = exchange.folder.appendingPathComponent("no-such-folder")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        #expect(try await exchange.ledger.send(packageURL, toFolder: inbox, schemas: Fixtures.schemas).status == "transferred")
    }

    @Test func sendingAChangedPackageIsRefused() async throws {
        let exchange = Exchange()
        let built = try await exported(exchange)
        let other = try exchange.build("assetplus-transfer-yot-to-yot.xml", kind: .yotToYot, attachments: [.init(name: "late.pdf", bytes: Data("%PDF".utf8))], transferId: built.manifest.transferId)
        let packageURL = exchange.folder.appendingPathComponent(built.manifest.packageFileName)
        try other.package.write(to: packageURL)
        await #expect(throws: TransferRefusal.self) {
            try await exchange.ledger.send(packageURL, toFolder: exchange.folder, schemas: Fixtures.schemas)
        }
        #expect(try await exchange.sender.transfer(built.manifest.transferId)?.status == "awaiting")
    }
}
