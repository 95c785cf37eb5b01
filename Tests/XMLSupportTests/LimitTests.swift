import Findings
import Foundation
import TestSupport
import Testing
@testable import XMLSupport

/// Issue 13, points 3 and 5: every limit is refused with its own code, before the work it
/// bounds is done.
@Suite("Limits")
struct LimitTests {
    let reader = XMLStreamReader()

    func codes(_ xml: [UInt8], limits: XMLLimits = .default, schema: CompiledSchema? = nil) throws -> [String] {
        try XMLStreamReader(limits: limits).read(.data(xml, name: "t.xml"), schema: schema, handler: nil).findings.map(\.code)
    }

    static func element(attributes count: Int) -> [UInt8] {
        var xml = "<r"
        for index in 0..<count { xml += " a\(index)=\"1\"" }
        return Array((xml + "/>").utf8)
    }

    @Test("more attributes on one element than --max-attributes: XML-LIMIT-ATTRIBUTES")
    func attributeCount() throws {
        #expect(try codes(Self.element(attributes: 256)).isEmpty)
        #expect(try codes(Self.element(attributes: 257)) == [FindingCode.attributeLimit])
        #expect(try codes(Self.element(attributes: 10), limits: XMLLimits(maxAttributes: 9)) == [FindingCode.attributeLimit])
        // Quoted '=', comments, CDATA and processing instructions are not attributes.
        let tricky = "<?pi a=1 b=2 c=3?><r a=\"x=y=z\" b='=='><!-- c=1 d=2 e=3 --><![CDATA[ f=1 g=2 ]]></r>"
        #expect(try codes(Array(tricky.utf8), limits: XMLLimits(maxAttributes: 2)).isEmpty)
    }

    @Test("200,000 attributes are refused from the raw bytes, before libxml2 parses the tag")
    func attributeFlood() throws {
        let xml = Self.element(attributes: 200_000)
        let result = try reader.read(.data(xml, name: "t.xml"), schema: Fixtures.schemas.asset, handler: nil)
        #expect(result.findings.map(\.code) == [FindingCode.attributeLimit])
        // The read stopped at the first chunk past the 257th attribute, not at the end of the 3 MB tag.
        #expect(result.bytesRead < Int64(xml.count))
    }

    @Test("an attribute over libxml2's own 10,000,000-byte ceiling is XML-LIMIT-TEXT, not XML-MALFORMED")
    func hugeAttribute() throws {
        let xml = Array("<r a=\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + Array("\"/>".utf8)
        #expect(try codes(xml, limits: XMLLimits(maxTextBytes: 20 << 20)) == [FindingCode.textLimit])
        #expect(try codes(xml) == [FindingCode.textLimit])
    }

    @Test("a 50 MB CDATA section, a long comment and a long processing instruction are XML-LIMIT-TEXT")
    func hugeCDATAAndComment() throws {
        let cdata = Array("<r><![CDATA[".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 50_000_000) + Array("]]></r>".utf8)
        #expect(try codes(cdata) == [FindingCode.textLimit])
        // Under libxml2's own ceiling, over ours: refused from the raw bytes.
        for (open, close) in [("<![CDATA[", "]]>"), ("<!--", "-->"), ("<?pi ", "?>")] {
            let xml = Array("<r>\(open)".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 2000) + Array("\(close)</r>".utf8)
            #expect(try codes(xml, limits: XMLLimits(maxTextBytes: 1000)) == [FindingCode.textLimit], "\(open)")
            #expect(try codes(xml, limits: XMLLimits(maxTextBytes: 3000)).isEmpty, "\(open)")
        }
    }

    @Test("NUL bytes (after the root, or inside it) make a document malformed; UTF-16 is still read")
    func nulBytes() throws {
        let valid = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample("valid/asset-core-profile.xml")))
        let padded = [UInt8](valid) + [UInt8](repeating: 0, count: 100)
        #expect(try codes(padded, schema: Fixtures.schemas.asset) == [FindingCode.malformed])
        let hidden = [UInt8](valid) + [0] + Array("<Asset>anything at all".utf8)
        #expect(try codes(hidden, schema: Fixtures.schemas.asset) == [FindingCode.malformed])
        let processed = try Fixtures.process(file: Fixtures.sample("valid/assetplus-utf16.xml")).report
        #expect(processed.valid)
    }

    @Test("the attribute limit holds inside a schema-validated document, with a line number")
    func attributeLimitInADocument() throws {
        var attributes = ""
        for index in 0..<300 { attributes += " x\(index)=\"1\"" }
        let xml = try HostileDocuments.withRootAttribute("valid/asset-core-profile.xml", bytes: 1)
        let text = String(decoding: xml, as: UTF8.self).replacingOccurrences(of: " junk=\"x\"", with: attributes)
        let result = try reader.read(.data(Array(text.utf8), name: "t.xml"), schema: Fixtures.schemas.asset, handler: nil)
        #expect(result.findings.map(\.code) == [FindingCode.attributeLimit])
    }

    /// Issue 13, point 1, in process: stopping inside the start-tag callback while the schema
    /// validator is plugged in. The validator's handler runs after ours with pointers into the
    /// parser's input; the old stop freed that input first (a use-after-free: a segfault in
    /// `y2a validate`, caught by AddressSanitizer here under `Scripts/test --asan`). The raw-byte
    /// scanner is off so that the long attribute reaches the callback.
    @Test("a stop inside the start-tag callback leaves the validator's pointers valid; the next document is read normally")
    func stopInsideStartTag() throws {
        let unscanned = XMLStreamReader()
        unscanned.scansMarkup = false
        let first = try HostileDocuments.withRootAttribute("valid/asset-core-profile.xml", bytes: 1_048_576)
        let second = try HostileDocuments.withRootAttribute("valid/assetplus-transfer-to-probation.xml", bytes: 3_000_000)
        let a = try unscanned.read(.data([UInt8](first), name: "a.xml"), schema: Fixtures.schemas.asset, handler: nil)
        #expect(a.findings.map(\.code) == [FindingCode.schema])
        let b = try unscanned.read(.data([UInt8](second), name: "b.xml"), schema: Fixtures.schemas.assetPlus, handler: nil)
        #expect(b.findings.map(\.code) == [FindingCode.textLimit])
        #expect(b.stoppedEarly)
        let valid = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample("valid/asset-core-profile.xml")))
        #expect(try unscanned.read(.data([UInt8](valid), name: "c.xml"), schema: Fixtures.schemas.asset, handler: nil).findings.isEmpty)
    }
}
