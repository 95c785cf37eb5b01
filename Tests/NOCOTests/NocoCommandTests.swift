import Foundation
import TestSupport
import Testing
import Transfers

/// `y2a noco` as a sender runs it: files written, gaps listed, exit codes.
@Suite("y2a noco")
struct NocoCommandTests {
    func y2a(_ arguments: [String], in directory: URL = Fixtures.root) throws -> Y2ACommand.Run {
        try Y2ACommand.run(arguments, in: directory)
    }

    static let asset = Fixtures.sample("valid/contract-example-asset.xml")
    static let receiver = ["--to", "N07", "--to-name", "Northtown Probation Delivery Unit"]

    @Test("writes NOCO.xml (valid) and NOCO.html with mode 0600 and lists the gaps")
    func writes() throws {
        let out = try Fixtures.temporaryDirectory()
        let run = try y2a(["noco", Self.asset] + Self.receiver + ["--transfer-id", "8C0E5A52-1F3B-4D7E-A9C4-2B6F0D1E7A33", "--out", out.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("gap YOGRS: Asset assessments have no YOGRS score\n"))
        #expect(run.stdout.contains("action RA-ADULT-ASSESSMENTS: Complete RSR and CAS outside the portal\n"))
        for name in ["NOCO.xml", "NOCO.html"] {
            let path = out.appendingPathComponent(name).path
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
            #expect(mode == 0o600, "\(name)")
        }
        let xml = try Data(contentsOf: out.appendingPathComponent("NOCO.xml"))
        #expect(try NOCOFixtures.schemaErrors(xml).isEmpty)
        #expect(String(decoding: xml, as: UTF8.self).contains("<TransferId>8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33</TransferId>"))
        #expect(!run.stdout.contains("Roe") && !run.stdout.contains("1996-10-01"))
    }

    /// An assessment of 2014-02-18 for a person born 1996-04-25: 17 on transfer, however long
    /// after the assessment the NOCO is made (it was "age 30" when taken on GeneratedAt).
    @Test("AgeOnTransfer is the age on the assessment date, in NOCO.xml and NOCO.html")
    func ageOnAssessmentDate() throws {
        let out = try Fixtures.temporaryDirectory()
        let run = try y2a(["noco", Fixtures.sample("valid/asset-transfer-to-adult.xml"), "--to", "N07", "--to-name", "Northtown PDU", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let xml = try String(contentsOf: out.appendingPathComponent("NOCO.xml"), encoding: .utf8)
        #expect(xml.contains("<AssessedOn>2014-02-18</AssessedOn>"))
        #expect(xml.contains("<AgeOnTransfer>17</AgeOnTransfer>"))
        let html = try String(contentsOf: out.appendingPathComponent("NOCO.html"), encoding: .utf8)
        #expect(html.contains("(age 17 on transfer)"))
    }

    @Test("the NOCO.xml of a package from y2a transfer export gives the age on the assessment date")
    func ageInExportedPackage() throws {
        let here = try Fixtures.temporaryDirectory()
        let run = try y2a([
            "transfer", "export", Fixtures.sample("valid/asset-transfer-to-adult.xml"), "--kind", "YouthToAdult",
            "--to", "N07", "--to-name", "Northtown PDU", "--out", "outbox", "--store", "y2a.sqlite",
        ], in: here)
        #expect(run.status == 0, "\(run.stderr)")
        let outbox = here.appendingPathComponent("outbox")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox.path).first { $0.hasSuffix(".y2a.zip") })
        let contents = try PackageReader().read(Data(contentsOf: outbox.appendingPathComponent(name)))
        let noco = String(decoding: try #require(contents.files["NOCO.xml"]), as: UTF8.self)
        #expect(noco.contains("<AgeOnTransfer>17</AgeOnTransfer>"))
    }

    /// `y2a help noco`'s examples, in a folder holding the two exports they name (AssetPlus.XML:
    /// a TransferToProbation stage; Asset.XML: a YotTransfer form naming C41). The one with a
    /// service's own template needs a file only that service has, and is left out.
    @Test("the examples of y2a help noco run as written")
    func helpExamples() throws {
        let help = try y2a(["help", "noco"]).stdout
        var examples: [String] = []
        var pending: String?  // an example continued on the next line ("\\")
        for raw in help.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let text: String
            if let part = pending { text = part + " " + line } else if line.hasPrefix("y2a noco ") { text = line } else { continue }
            pending = nil
            if text.hasSuffix("\\") { pending = String(text.dropLast()).trimmingCharacters(in: .whitespaces) } else { examples.append(text) }
        }
        let runnable = examples.filter { !$0.contains("--template") }
        #expect(runnable.count == 3, "\(examples)")
        for example in runnable {
            let here = try Fixtures.temporaryDirectory()
            try FileManager.default.copyItem(atPath: Fixtures.sample("valid/assetplus-transfer-to-probation.xml"), toPath: here.appendingPathComponent("AssetPlus.XML").path)
            try FileManager.default.copyItem(atPath: Fixtures.sample("valid/asset-yot-transfer.xml"), toPath: here.appendingPathComponent("Asset.XML").path)
            // Words, with "double-quoted" ones kept whole.
            let words = example.matches(of: /"([^"]*)"|(\S+)/).map { String($0.output.1 ?? $0.output.2 ?? "") }
            let run = try y2a(Array(words.dropFirst()), in: here)
            #expect(run.status == 0, "\(example): \(run.stderr)")
        }
    }

    @Test("--format json: the summary, with a new lower-case transfer id by default")
    func json() throws {
        let out = try Fixtures.temporaryDirectory()
        let run = try y2a(["noco", "--format", "json", Self.asset] + Self.receiver + ["--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let id = try #require(object["transferId"] as? String)
        #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil)
        #expect(object["kind"] as? String == "YouthToAdult")
        let gaps = try #require(object["gaps"] as? [[String: String]])
        #expect(gaps == [["field": "YOGRS", "reason": "Asset assessments have no YOGRS score"]])
        let outputs = try #require(object["outputs"] as? [String: String])
        #expect(outputs["xml"] == out.appendingPathComponent("NOCO.xml").path)
    }

    @Test("YotToYot: the receiver's name comes from the assessment when the code matches")
    func yotToYot() throws {
        let out = try Fixtures.temporaryDirectory()
        let run = try y2a(["noco", Fixtures.sample("valid/assetplus-transfer-yot-to-yot.xml"), "--kind", "YotToYot", "--to", "M19", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let xml = try String(contentsOf: out.appendingPathComponent("NOCO.xml"), encoding: .utf8)
        #expect(xml.contains("<To code=\"M19\">Millbrook Vale Youth Justice Service</To>"))
        #expect(xml.contains("<Kind>YotToYot</Kind>"))
    }

    @Test("the shipped template is found from another folder, and --out defaults to the current one")
    func defaults() throws {
        let here = try Fixtures.temporaryDirectory()
        let run = try y2a(["noco", Self.asset] + Self.receiver, in: here)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: here.appendingPathComponent("NOCO.html").path))
    }

    @Test("exit 1 for an invalid assessment: findings as y2a validate prints them, nothing written")
    func invalid() throws {
        let out = try Fixtures.temporaryDirectory()
        let run = try y2a(["noco", Fixtures.sample("invalid/episode-mixes-offence-and-incident.xml")] + Self.receiver + ["--out", out.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("error[AP-EPISODE-MIX]"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    @Test("exit 3 for a broken template, naming the file and line; nothing written")
    func brokenTemplate() throws {
        let out = try Fixtures.temporaryDirectory()
        let template = out.appendingPathComponent("ours.mustache")
        try Data("<h1>NOCO</h1>\n{{#gaps}}\n<p>{{field}}</p>\n".utf8).write(to: template)
        let run = try y2a(["noco", Self.asset] + Self.receiver + ["--template", template.path, "--out", out.path])
        #expect(run.status == 3)
        #expect(run.stderr.contains("\(template.path):2:1: section \"gaps\""), "\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["ours.mustache"])
    }

    @Test("a service's own template is used")
    func customTemplate() throws {
        let out = try Fixtures.temporaryDirectory()
        let template = out.appendingPathComponent("ours.mustache")
        try Data("<p>{{to.name}}: {{#gaps}}{{field}}{{/gaps}}</p>\n".utf8).write(to: template)
        let run = try y2a(["noco", Self.asset] + Self.receiver + ["--template", template.path, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("NOCO.html"), encoding: .utf8) == "<p>Northtown Probation Delivery Unit: YOGRS</p>\n")
    }

    @Test("exit 2 for usage errors")
    func usage() throws {
        #expect(try y2a(["noco", Self.asset]).status == 2)  // no --to
        #expect(try y2a(["noco", Self.asset, "--to", "n07", "--to-name", "x"]).status == 2)
        #expect(try y2a(["noco", Self.asset] + Self.receiver + ["--kind", "Adult"]).status == 2)
        #expect(try y2a(["noco", Self.asset] + Self.receiver + ["--transfer-id", "123"]).status == 2)
        #expect(try y2a(["noco", Self.asset] + Self.receiver + ["--from-phone", "01632 960000"]).status == 2)
        let noName = try y2a(["noco", Self.asset, "--to", "N07"])  // the assessment does not name N07
        #expect(noName.status == 2)
        #expect(noName.stderr.contains("--to-name"))
    }
}
