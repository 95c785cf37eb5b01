import Foundation
import TestSupport
import Testing
@testable import XMLSupport

@Suite("Schema vocabulary")
struct SchemaVocabularyTests {
    /// The regex the byte scanner replaced, kept here as its reference.
    static func byRegex(_ text: String) -> [String] {
        text.matches(of: /(?:name|value|ref|type|base|itemType|targetNamespace|namespace|fixed|default)="([^"]*)"/).map { String($0.1) }
    }

    @Test("the byte scanner finds exactly the declared names and values the regex found, in every project XSD")
    func scannerMatchesRegex() throws {
        let folder = Fixtures.xsdDirectory
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xsd") }
        #expect(names.count >= 3)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let found = SchemaVocabulary.declaredValues(in: text)
            #expect(found == Self.byRegex(text), "\(name)")
            #expect(found.count > 50, "\(name)")
        }
    }

    @Test("suffixes, prefixes, spaces, an unclosed value and a value holding =\" are read as the regex reads them")
    func edgeCases() {
        let text = #"<a tns:name="x" xname="y" names="no" type = "spaced" itemType="T" mytype="u" ref="a=&quot;b" base="unclosed"#
        #expect(SchemaVocabulary.declaredValues(in: text) == Self.byRegex(text))
        #expect(SchemaVocabulary.declaredValues(in: text) == ["x", "y", "T", "u", "a=&quot;b"])
        let tricky = #"<x value="p="q" default="r"/>"#
        #expect(SchemaVocabulary.declaredValues(in: tricky) == Self.byRegex(tricky))
    }
}
