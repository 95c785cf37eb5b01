import Findings
import Foundation
import TestSupport
import Testing
@testable import XMLSupport

/// Hostile and broken input: each refused with its own code, early, and without touching
/// anything outside the document.
@Suite("Hostile input")
struct HostileInputTests {
    let reader = XMLStreamReader()

    func sniffCodes(_ bytes: [UInt8]) throws -> [String] {
        try reader.sniff(.data(bytes, name: "t.xml")).findings.map(\.code)
    }

    @Test("DOCTYPE documents stop at the DOCTYPE, before their internal subset is read", arguments: [
        "invalid/doctype-xxe-file.xml", "invalid/doctype-billion-laughs.xml",
        "invalid/doctype-quadratic-blowup.xml", "invalid/doctype-external-dtd.xml", "invalid/doctype-no-entities.xml",
    ])
    func doctypeStopsEarly(name: String) throws {
        let path = Fixtures.sample(name)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let result = try reader.sniff(.file(path))
        #expect(result.findings.map(\.code) == [FindingCode.doctype])
        #expect(result.stoppedEarly)
        // The quadratic blow-up's entity is ~60 KB: stopping at the DOCTYPE means most of the
        // file is never even read.
        if size > 20_000 { #expect(result.bytesRead < Int64(size)) }
    }

    @Test("a DOCTYPE is refused even when validating directly with a schema")
    func doctypeRefusedByTheValidatingPass() throws {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE Asset [<!ENTITY e \"x\">]><Asset xmlns=\"urn:y2a:asset:1\" version=\"3.2\">&e;</Asset>"
        let result = try reader.read(.data(Array(xml.utf8), name: "t.xml"), schema: Fixtures.schemas.asset, handler: nil)
        #expect(result.findings.map(\.code) == [FindingCode.doctype])
    }

    @Test("empty, binary, text, gzip: each with its own code")
    func notXML() throws {
        #expect(try sniffCodes([]) == [FindingCode.empty])
        #expect(try sniffCodes(Array("Dear colleague, please find attached".utf8)) == [FindingCode.notXML])
        #expect(try sniffCodes([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00]) == [FindingCode.notXML])  // gzip is never inflated
        #expect(try sniffCodes([0xEF, 0xBB, 0xBF, 0x20]) == [FindingCode.notXML])
    }

    @Test("a UTF-8 BOM and UTF-16 are read; invalid bytes in the declared encoding are not")
    func encodings() throws {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><r>caf\u{E9}</r>"
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in doc.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try reader.read(.data(utf16, name: "t"), schema: nil, handler: nil).findings.isEmpty)
        #expect(try reader.read(.data([0xEF, 0xBB, 0xBF] + Array("<r/>".utf8), name: "t"), schema: nil, handler: nil).findings.isEmpty)
        let bad = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r>a".utf8) + [0xFF] + Array("</r>".utf8)
        #expect(try reader.read(.data(bad, name: "t"), schema: nil, handler: nil).findings.map(\.code) == [FindingCode.encoding])
        let latin1 = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>caf".utf8) + [0xE9] + Array("</r>".utf8)
        #expect(try reader.read(.data(latin1, name: "t"), schema: nil, handler: nil).findings.isEmpty)
    }

    @Test("a truncated document is reported as truncated, once")
    func truncated() throws {
        let result = try reader.read(.data(Array("<a><b>text</b><c att=\"1\">mo".utf8), name: "t"), schema: nil, handler: nil)
        #expect(result.findings.map(\.code) == [FindingCode.truncated])
    }

    @Test("nesting deeper than the limit is refused")
    func depthLimit() throws {
        let limited = XMLStreamReader(limits: XMLLimits(maxDepth: 10))
        let deep = String(repeating: "<a>", count: 11) + String(repeating: "</a>", count: 11)
        #expect(try limited.read(.data(Array(deep.utf8), name: "t"), schema: nil, handler: nil).findings.map(\.code) == [FindingCode.depthLimit])
        let fine = String(repeating: "<a>", count: 10) + String(repeating: "</a>", count: 10)
        #expect(try limited.read(.data(Array(fine.utf8), name: "t"), schema: nil, handler: nil).findings.isEmpty)
    }

    @Test("text and attributes longer than the limit are refused")
    func textLimit() throws {
        let limited = XMLStreamReader(limits: XMLLimits(maxTextBytes: 1000))
        let long = "<a>" + String(repeating: "x", count: 1001) + "</a>"
        #expect(try limited.read(.data(Array(long.utf8), name: "t"), schema: nil, handler: nil).findings.map(\.code) == [FindingCode.textLimit])
        let attribute = "<a v=\"" + String(repeating: "x", count: 1001) + "\"/>"
        #expect(try limited.read(.data(Array(attribute.utf8), name: "t"), schema: nil, handler: nil).findings.map(\.code) == [FindingCode.textLimit])
    }

    @Test("a document larger than the size limit is refused while reading")
    func sizeLimit() throws {
        let limited = XMLStreamReader(limits: XMLLimits(maxDocumentBytes: 10_000))
        let big = "<a>" + String(repeating: "<b>x</b>", count: 5000) + "</a>"
        let result = try limited.read(.data(Array(big.utf8), name: "t"), schema: nil, handler: nil)
        #expect(result.findings.map(\.code) == [FindingCode.sizeLimit])
        #expect(result.bytesRead <= 10_000 + 65_536)
    }

    @Test("line numbers beyond 65535 are exact")
    func bigLines() throws {
        var text = "<a>\n"
        for _ in 0..<70_000 { text += "<b/>\n" }
        text += "<c></d>\n</a>"
        let result = try reader.read(.data(Array(text.utf8), name: "t"), schema: nil, handler: nil)
        #expect(result.findings.first?.line == 70_002)
        #expect(result.findings.first?.code == FindingCode.malformed)
    }

    @Test("findings beyond the cap are counted, not kept")
    func findingCap() throws {
        let limited = XMLStreamReader(limits: XMLLimits(maxFindings: 1))
        var body = ""
        for _ in 0..<10 { body += "<Offence seq=\"x\"/>" }
        let xml = "<Asset xmlns=\"urn:y2a:asset:1\" version=\"9\">\(body)</Asset>"
        let result = try limited.read(.data(Array(xml.utf8), name: "t"), schema: Fixtures.schemas.asset, handler: nil)
        #expect(result.findings.count == 1)
        #expect(result.suppressedFindings > 0)
    }

    @Test("a missing file is a thrown read error, not a finding")
    func missingFile() {
        #expect(throws: XMLReadError.self) {
            _ = try reader.sniff(.file("/nonexistent/y2a/none.xml"))
        }
    }
}
