import Foundation
import TestSupport
import Testing
@testable import XMLSupport

/// No value from a document reaches a message: names, dates of birth and offence text stay out.
@Suite("Message redaction")
struct RedactionTests {
    @Test("values are withheld; schema names, facets and enumerations are kept")
    func redactsValues() {
        _ = Fixtures.schemas  // compiles the XSDs, whose names make the vocabulary
        let message = MessageRedaction.redact("Element '{urn:y2a:assetplus:1}DateOfBirth': '01/06/1998' is not a valid value of the atomic type 'xs:date'.\n")
        #expect(!message.contains("1998"))
        #expect(message.contains("'DateOfBirth'"))
        #expect(message.contains("'xs:date'"))
        #expect(!message.contains("urn:y2a"))
        let enumeration = MessageRedaction.redact("Element 'Gender': [facet 'enumeration'] The value 'Jamie Doe' is not an element of the set {'Male', 'Female'}.")
        #expect(!enumeration.contains("Jamie"))
        #expect(enumeration.contains("{'Male', 'Female'}"))
        #expect(MessageRedaction.redact("Input is not proper UTF-8, indicate encoding !\nBytes: 0xE9 0x6D 0x69 0x65").contains("0xE9") == false)
    }

    @Test("schema errors on a document never quote its personal values")
    func schemaErrorsAreClean() throws {
        let original = try String(contentsOfFile: Fixtures.sample("valid/contract-example-assetplus.xml"), encoding: .utf8)
        let xml = original
            .replacingOccurrences(of: "<DateOfBirth>1998-06-01</DateOfBirth>", with: "<DateOfBirth>01/06/1998</DateOfBirth>")
            .replacingOccurrences(of: "<Gender>Male</Gender>", with: "<Gender>Jamie</Gender>")
            .replacingOccurrences(of: "<FamilyName>Doe</FamilyName>", with: "<FamilyName>Doe</FamilyName><Surprise>Theft from a shop</Surprise>")
        let report = try Fixtures.process(xml).report
        #expect(!report.valid)
        let all = report.findings.map(\.description).joined(separator: "\n")
        for secret in ["01/06/1998", "Jamie", "Theft from a shop"] {
            #expect(!all.contains(secret), "leaked \(secret): \(all)")
        }
    }
}

/// Issue 13, point 2: the mutations an attacker's fuzzer made, each turning a personal value
/// into markup libxml2 quotes (a tag or attribute name, a namespace, an entity, the text after
/// an unfinished CDATA section). No finding of any of them may carry the value, and every
/// finding is one line.
@Suite("Message redaction: mutated documents")
struct MutatedRedactionTests {
    /// (sample, tag, value) for every personal value of the valid samples.
    static let cases: [(String, String, String)] = {
        var cases: [(String, String, String)] = []
        for name in Fixtures.validSampleNames {
            guard let xml = try? String(contentsOfFile: Fixtures.sample(name), encoding: .utf8) else { continue }
            for tag in PersonalValues.tags {
                for match in xml.matches(of: try! Regex("<\(tag)>([^<]{4,})</\(tag)>")) {
                    if let value = match.output[1].substring { cases.append((name, tag, String(value))) }
                }
            }
        }
        return cases
    }()

    /// A value's first word as an XML name (names cannot hold spaces or start with a digit).
    static func asName(_ value: String) -> String {
        let word = value.split(separator: " ").first.map(String.init) ?? value
        let kept = word.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return (kept.first?.isLetter ?? false) ? kept : "v" + kept
    }

    static func mutations(tag: String, value: String) -> [(String, String)] {
        let name = asName(value)
        let element = "<\(tag)>\(value)</\(tag)>"
        return [
            ("value as a tag name", "<\(name)>x</\(name)>"),
            ("value as an empty tag", "<\(tag)/><\(name)/>"),
            ("value as an attribute name", "<\(tag) \(name)=\"x\">\(value)</\(tag)>"),
            ("value as an attribute without a value", "<\(tag) \(name)>\(value)</\(tag)>"),
            ("unfinished CDATA before the value", "<\(tag)><![CDATA[\(value)\n</\(tag)>"),
            ("value as the end tag", "<\(tag)>\(value)</\(name)>"),
            ("value as an entity", "<\(tag)>&\(name);</\(tag)>"),
            ("value as a namespace", "<\(tag) xmlns=\"\(value) x\">\(value)</\(tag)>"),
            ("value as a prefixed name", "<\(name):\(tag)>x</\(name):\(tag)>"),
            ("value with a quote inside", "<\(tag)>O'\(value)'s</\(tag)>"),
            ("value as a processing instruction", "<?\(name) \(value)?>\(element)"),
            ("value as a character reference", "<\(tag)>&#\(name);</\(tag)>"),
            ("duplicated attribute named after the value", "<\(tag) \(name)=\"1\" \(name)=\"2\">x</\(tag)>"),
        ]
    }

    @Test("no finding of a mutated document quotes the value, and every finding is one line")
    func mutatedDocuments() throws {
        #expect(Self.cases.count > 20)
        var checked = 0
        for (sample, tag, value) in Self.cases {
            let xml = try String(contentsOfFile: Fixtures.sample(sample), encoding: .utf8)
            let element = "<\(tag)>\(value)</\(tag)>"
            for (what, replacement) in Self.mutations(tag: tag, value: value) {
                guard let range = xml.range(of: element) else { continue }
                let mutated = xml.replacingCharacters(in: range, with: replacement)
                let report = try Fixtures.process(mutated, name: "mutated.xml").report
                for finding in report.findings {
                    let text = finding.description
                    #expect(!PersonalValues.leaked(value, in: text), "\(what) in \(sample): \(text)")
                    #expect(!PersonalValues.leaked(Self.asName(value), in: text), "\(what) in \(sample): \(text)")
                    #expect(!text.contains("\n") && !text.contains("\r"), "\(what): not one line: \(text)")
                }
                checked += 1
            }
        }
        #expect(checked > 200)
    }

    @Test("a value with a quote in it is withheld whole, not split at the quote")
    func quoteInsideValue() {
        let message = MessageRedaction.redact(
            "Element 'FamilyName': [facet 'pattern'] The value 'O'Brien-Smith' is not accepted by the pattern '[A-Z]+'.",
            arguments: ["O'Brien-Smith", "[A-Z]+"], isKnown: { ["FamilyName", "[A-Z]+", "pattern"].contains($0) })
        #expect(!message.contains("Brien"), "\(message)")
        #expect(message.contains("'FamilyName'") && message.contains("'[A-Z]+'"), "\(message)")
    }

    @Test("a name the schema does not declare is never quoted; a message with stray words is replaced whole")
    func unknownNames() {
        let known: (String) -> Bool = { ["Person", "FamilyName"].contains($0) }
        let element = MessageRedaction.redact("Element 'Pendlebury-Vance': This element is not expected. Expected is ( FamilyName ).", isKnown: known)
        #expect(element == "Element (an element not in the schema): This element is not expected. Expected is ( FamilyName ).")
        let attribute = MessageRedaction.redact("Element 'Person', attribute 'Liam': The attribute 'Liam' is not allowed.", isKnown: known)
        #expect(attribute == "Element 'Person', attribute (an attribute not in the schema): The attribute (an attribute not in the schema) is not allowed.")
        let namespaced = MessageRedaction.redact("Element '{Liam Smith}Person': This element is not expected.", isKnown: known)
        #expect(namespaced == "Element (an element not in the schema): This element is not expected.")
        let stray = MessageRedaction.redact("Element 'Person': Liam Smith is not expected.", isKnown: known)
        #expect(stray == MessageRedaction.replaced)
        #expect(MessageRedaction.redact("line one\nline two\n", isKnown: known).contains("\n") == false)
    }
}
