import CaseRecord
import Foundation
import NOCO
import TestSupport
import Testing

/// NOCO.html: the shipped template, a service's own, and templates that must be refused.
@Suite("NOCO templates")
struct TemplateTests {
    func render(_ text: String, _ record: CaseRecord = NOCOFixtures.quietRecord()) throws -> String {
        try NOCOTemplate(text: text, name: "custom.mustache").render(NOCOFixtures.document(record))
    }

    func refusal(_ text: String) -> NOCOTemplateError? {
        do {
            _ = try NOCOTemplate(text: text, name: "custom.mustache")
            return nil
        } catch {
            return error
        }
    }

    @Test("the shipped template renders every valid sample: one self-contained page", arguments: Fixtures.validSampleNames)
    func shipped(sample: String) throws {
        let template = try NOCOTemplate(contentsOf: NOCOFixtures.shippedTemplate)
        let html = try template.render(NOCOFixtures.document(NOCOFixtures.record(sample)))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("@media print"))
        #expect(html.contains("<th scope=\"row\">"))
        for external in ["<script", "<link", "src=", "@import", "url("] { #expect(!html.contains(external)) }
        #expect(!html.contains("{{") && !html.contains("}}"))
    }

    @Test("a service's own template renders with the documented variables")
    func custom() throws {
        let record = NOCOFixtures.record { $0.risk.yogrs = nil }
        let text = """
            {{youngPerson.givenNames}} {{youngPerson.familyName}} ({{youngPerson.ageOnTransfer}}) to {{to.name}}
            {{#gaps}}gap {{field}}: {{reason}}
            {{/gaps}}{{#currentDisposals}}- {{.}}
            {{/currentDisposals}}{{^hasRaisedFlags}}no flags{{/hasRaisedFlags}} {{#assessment.mappa}}{{category}}/{{level}}{{/assessment.mappa}}
            """
        #expect(try render(text, record) == """
            Alex Testperson (17) to Northtown Probation Delivery Unit
            gap YOGRS: the assessment has no YOGRS score
            - ReferralOrder: Theft from a shop
            no flags None/None
            """)
    }

    @Test("every value is HTML-escaped: a <script> in the record comes out as text")
    func escaping() throws {
        let record = NOCOFixtures.record {
            $0.person.familyName = "<script>alert('x')</script>"
            $0.offences[0].description = "Theft & \"damage\""
        }
        let custom = try render("<p>{{youngPerson.familyName}}</p>{{#currentDisposals}}<li>{{.}}</li>{{/currentDisposals}}", record)
        #expect(custom == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p><li>ReferralOrder: Theft &amp; &quot;damage&quot;</li>")
        let shipped = try NOCOTemplate(contentsOf: NOCOFixtures.shippedTemplate).render(NOCOFixtures.document(record))
        #expect(!shipped.contains("<script"))
        #expect(shipped.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    }

    @Test("an unclosed section is refused, naming the file and the line that opened it")
    func unclosedSection() throws {
        let error = try #require(refusal("<h1>NOCO</h1>\n<ul>\n{{#gaps}}\n<li>{{field}}</li>\n</ul>\n"))
        #expect(error.file == "custom.mustache")
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("custom.mustache:3:1: "))
        #expect(error.description.contains("\"gaps\""))
    }

    @Test("a section closed by the wrong name is refused at the closing tag")
    func misclosedSection() throws {
        let error = try #require(refusal("{{#gaps}}\n{{field}}\n{{/receiverActions}}\n"))
        #expect(error.line == 3)
        #expect(error.message.contains("opened on line 1"))
    }

    @Test("unescaped tags and a non-HTML content type are refused")
    func unescaped() throws {
        #expect(refusal("<p>\n{{{youngPerson.familyName}}}</p>")?.line == 2)
        #expect(refusal("<p>{{&youngPerson.familyName}}</p>")?.message.contains("HTML-escaped") == true)
        #expect(refusal("{{% CONTENT_TYPE: TEXT}}{{transferId}}") != nil)
        #expect(refusal("{{=<% %>=}}<%{transferId}%>") != nil)
    }

    @Test("an unknown variable or transform is refused rather than rendered blank")
    func unknownVariable() throws {
        let error = try #require(refusal("ok\n{{youngPerson.surname}}"))
        #expect(error.line == 2)
        #expect(error.message.contains("surname"))
        #expect(refusal("{{shout(transferId)}}")?.message.contains("shout") == true)
        #expect(refusal("{{uppercased(transferId)}} {{#gaps}}{{index()}}{{/gaps}} {{.}}") == nil)
    }

    @Test("partials are refused: a NOCO template is one file")
    func partials() throws {
        #expect(refusal("{{> header}}") != nil)
    }

    @Test("a malformed set-delimiter tag is refused at its line")
    func setDelimiter() throws {
        let error = try #require(refusal("one\ntwo {{=<% %>}}\n"))
        #expect(error.line == 2)
        #expect(error.message.contains("set-delimiter"))
    }

    @Test("Mustache's own parse errors carry the file and line")
    func parseError() throws {
        let error = try #require(refusal("one\ntwo\n{{% UNKNOWN: x}}\n"))
        #expect(error.file == "custom.mustache")
        #expect(error.line == 3)
        #expect(error.message.contains("does not parse"))
    }

    @Test("a template file that does not exist, or renders nothing, is refused with its path")
    func files() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/noco.html.mustache")
        let error = try #require(throws: NOCOTemplateError.self) { try NOCOTemplate(contentsOf: missing) }
        #expect(error.file == missing.path)
        let blank = try NOCOTemplate(text: "{{#hasGaps}}{{transferId}}{{/hasGaps}}\n", name: "blank.mustache")
        let empty = try #require(throws: NOCOTemplateError.self) { try blank.render(NOCOFixtures.document(NOCOFixtures.quietRecord())) }
        #expect(empty.file == "blank.mustache")
    }

    @Test("docs/noco.md lists every template variable")
    func documented() throws {
        let docs = try String(contentsOf: NOCOFixtures.docs, encoding: .utf8)
        for name in NOCOTemplate.variableNames.sorted() {
            #expect(docs.contains(name), "template variable \(name) is not in docs/noco.md")
        }
    }
}
