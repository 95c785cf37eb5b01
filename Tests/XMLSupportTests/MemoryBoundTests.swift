import Findings
import Foundation
import TestSupport
import Testing
@testable import XMLSupport

/// Issue 13, point 4: memory does not grow with the number of elements of an invalid document.
@Suite("Memory bound")
struct MemoryBoundTests {
    final class Counter: XMLEventHandler {
        var starts = 0
        var wantsContent: Bool { true }
        func startElement(name: String, namespace: String?, attributes: [XMLAttribute], line: Int) { starts += 1 }
        func endElement(name: String, text: String, line: Int) {}
    }

    @Test("after the first schema error the handler is given nothing more (it would keep an element per tag)")
    func handlerDroppedAtTheFirstSchemaError() throws {
        let flood = Data(String(repeating: "<x/>", count: 100_000).utf8)
        let xml = try HostileDocuments.withContentAfterRoot("valid/assetplus-transfer-to-probation.xml", flood)
        let counter = Counter()
        let result = try XMLStreamReader().read(.data([UInt8](xml), name: "t.xml"), schema: Fixtures.schemas.assetPlus, handler: counter)
        #expect(result.findings.first?.code == FindingCode.schema)
        // The root and the first <x/>, whose error libxml2 reports after our callback ran.
        #expect(counter.starts <= 2, "\(counter.starts) elements reached the handler")
    }

    @Test("a valid document still reaches the handler whole")
    func validDocumentIsCollected() throws {
        let counter = Counter()
        let path = Fixtures.sample("valid/assetplus-transfer-to-probation.xml")
        let result = try XMLStreamReader().read(.file(path), schema: Fixtures.schemas.assetPlus, handler: counter)
        #expect(result.isValid)
        let xml = try String(contentsOfFile: path, encoding: .utf8)
        let tags = xml.matches(of: /<[A-Za-z]/).count
        #expect(counter.starts == tags)
    }
}
