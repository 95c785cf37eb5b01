import Findings
import Foundation
import Gateway
import TestSupport
import Testing

/// Every sample gives exactly the verdict and finding codes recorded in SampleFiles/expected.json.
@Suite("Sample files")
struct SampleFileTests {
    @Test("each sample's verdict and codes", arguments: Fixtures.sampleNames)
    func sample(name: String) throws {
        let expected = try #require(Fixtures.expectations[name])
        let result = try Fixtures.process(file: Fixtures.sample(name))
        let codes = Set(result.report.findings.map(\.code))
        #expect(result.report.valid == expected.valid, "\(name): \(result.report.findings)")
        #expect(codes == Set(expected.codes), "\(name): \(result.report.findings)")
    }

    @Test("validating alone (which skips free text) and converting find the same", arguments: Fixtures.sampleNames)
    func sameFindingsWhenConverting(name: String) throws {
        let validated = try Fixtures.process(file: Fixtures.sample(name)).report
        let converted = try Fixtures.process(file: Fixtures.sample(name), convert: true).report
        #expect(validated.findings == converted.findings)
    }

    @Test("every rule code of the contract is exercised by some sample")
    func everyRuleIsCovered() {
        let covered = Set(Fixtures.expectations.values.flatMap(\.codes))
        let ruleCodes = FindingCode.catalogue.map(\.code).filter { $0.hasPrefix("AP-") || $0.hasPrefix("AS-") }
        for code in ruleCodes {
            #expect(covered.contains(code), "no sample produces \(code)")
        }
    }

    @Test("findings carry a line and an element path for rule and schema errors")
    func findingsAreLocated() throws {
        for name in Fixtures.sampleNames where name.hasPrefix("invalid/") {
            let report = try Fixtures.process(file: Fixtures.sample(name)).report
            for finding in report.findings where finding.code == "XSD" || finding.code.hasPrefix("AP-") || finding.code.hasPrefix("AS-") {
                #expect(finding.line != nil, "\(name): \(finding)")
                #expect(finding.path?.hasPrefix("/") == true, "\(name): \(finding)")
            }
        }
    }

    @Test("the contract's own examples are valid", arguments: [("assetplus.md", "AssetPlus"), ("asset.md", "Asset")])
    func contractExamples(file: String, format: String) throws {
        let report = try Fixtures.process(try Fixtures.contractExample(file)).report
        #expect(report.valid, "\(report.findings)")
        #expect(report.format?.rawValue == format)
    }

    @Test("format is recognised by root element and namespace, not by file name")
    func detectionIgnoresFileName() throws {
        let asset = try String(contentsOfFile: Fixtures.sample("valid/contract-example-asset.xml"), encoding: .utf8)
        let report = try Fixtures.process(asset, name: "AssetPlus.XML").report
        #expect(report.format == .asset)
    }
}
