import CaseRecord
import Foundation
import Testing
import Transfers

@Suite("Export refuses what the receiver would reject")
struct ExportRefusalTests {
    @Test(arguments: [
        ("assetplus-transfer-yot-to-yot.xml", TransferKind.youthToAdult),
        ("assetplus-transfer-to-probation.xml", .yotToYot),
        ("asset-yot-transfer.xml", .youthToAdult),
        ("asset-transfer-to-adult.xml", .yotToYot),
        ("assetplus-cancelled-stage.xml", .yotToYot),
        ("assetplus-review-in-progress.xml", .youthToAdult),
    ])
    func wrongStage(sample: String, kind: TransferKind) throws {
        let error = try #require(throws: PackageRejection.self) {
            try Exchange().build(sample, kind: kind)
        }
        #expect(error.reasons.map(\.code) == [.wrongStage])
    }

    @Test func invalidAssessment() async throws {
        let exchange = Exchange()
        let invalid = try Data(contentsOf: Fixtures.root.appendingPathComponent("SampleFiles/invalid/doctype-xxe-file.xml"))
        let error = try #require(throws: PackageRejection.self) {
            try exchange.builder().build(.init(assessment: invalid, assessmentName: "x.xml", kind: .yotToYot, recipient: .init(code: "N07", name: "PDU")))
        }
        #expect(error.reasons.map(\.code) == [.invalidAssessment])
        #expect(!error.findings.isEmpty)
    }

    @Test func cancelledStageSaysCancelled() async throws {
        let error = try #require(throws: PackageRejection.self) {
            try Exchange().build("assetplus-cancelled-stage.xml", kind: .yotToYot)
        }
        #expect(error.reasons.first?.text.contains("Cancelled") == true)
    }
}
