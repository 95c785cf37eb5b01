import Foundation
import NOCO
import TestSupport
import Testing

/// NOCO.xml and NOCO.html, byte for byte, for Asset and AssetPlus samples (fixed TransferId and
/// GeneratedAt). Re-record with `Y2A_RECORD_GOLDEN=1 swift test --filter NOCOTests`; review the
/// diff before committing.
@Suite("Golden NOCO files")
struct GoldenTests {
    static let samples = [
        "valid/contract-example-asset.xml",
        "valid/asset-core-profile.xml",
        "valid/contract-example-assetplus.xml",
        "valid/assetplus-transfer-to-probation.xml",
        "valid/assetplus-secure-estate-entering-custody.xml",
    ]

    @Test("NOCO.xml and NOCO.html match the golden files", arguments: samples)
    func golden(sample: String) throws {
        let record = try NOCOFixtures.record(sample)
        let document = try NOCOFixtures.document(record)
        let template = try NOCOTemplate(contentsOf: NOCOFixtures.shippedTemplate)
        let base = URL(fileURLWithPath: sample).deletingPathExtension().lastPathComponent
        try Self.compare(document.xmlData(), to: "\(base).noco.xml")
        try Self.compare(template.renderData(document), to: "\(base).noco.html")
    }

    static func compare(_ data: Data, to name: String) throws {
        let file = NOCOFixtures.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["Y2A_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: NOCOFixtures.golden, withIntermediateDirectories: true)
            try data.write(to: file)
        }
        let expected = try #require(FileManager.default.contents(atPath: file.path), "no golden file \(name): record it with Y2A_RECORD_GOLDEN=1")
        #expect(String(decoding: data, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(name) differs from its golden file")
    }
}
