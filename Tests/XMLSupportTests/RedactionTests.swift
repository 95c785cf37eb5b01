import Foundation
import TestSupport
import Testing
@testable import XMLSupport

/// No value from a document reaches a message: names, dates of birth and offence text stay out.
@Suite("Message redaction")
struct RedactionTests {
    @Test("values are withheld; schema names, facets and enumerations are kept")
    func redactsValues() {
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
