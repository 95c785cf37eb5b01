import Foundation
import TestSupport
import Testing

/// The `y2a` executable as scripts and cron see it: exit codes, output shapes, privacy.
@Suite("y2a command line")
struct CLITests {
    func y2a(_ arguments: [String], environment: [String: String] = [:]) throws -> Y2ACommand.Run {
        try Y2ACommand.run(arguments, environment: environment)
    }

    @Test("exit 0 when every document is valid (warnings allowed)")
    func allValid() throws {
        let run = try y2a(["validate", "SampleFiles/valid"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("warning[AP-TRANSFER-AGE]"))
        #expect(run.stdout.hasSuffix("s\n"))
        #expect(run.stdout.contains("24 files: 24 valid, 0 invalid"))
    }

    @Test("exit 1 and compiler-style lines when a document is invalid")
    func invalid() throws {
        let run = try y2a(["validate", "SampleFiles"])
        #expect(run.status == 1)
        let line = try #require(run.stdout.split(separator: "\n").first { $0.contains("error[AP-EPISODE-MIX]") })
        // path:line:column: error[CODE]: message (element path)
        #expect(line.wholeMatch(of: /SampleFiles\/invalid\/[a-z0-9-]+\.xml:\d+:\d+: error\[AP-EPISODE-MIX\]: .+ \(\/AssetPlus\/[A-Za-z\/]+\)/) != nil, "\(line)")
        #expect(run.stdout.contains("117 files: 24 valid, 93 invalid"))
    }

    @Test("exit 2 for a usage error")
    func usage() throws {
        #expect(try y2a(["validate"]).status == 2)
        #expect(try y2a(["validate", "--format", "yaml", "SampleFiles"]).status == 2)
        #expect(try y2a(["frobnicate"]).status == 2)
    }

    @Test("exit 3 when a file cannot be read or the schemas are missing")
    func failures() throws {
        #expect(try y2a(["validate", "/nonexistent/y2a.xml"]).status == 3)
        let unreadable = try Fixtures.temporaryDirectory().appendingPathComponent("locked.xml")
        try Data("<a/>".utf8).write(to: unreadable)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: unreadable.path)
        if getuid() != 0 {  // root reads anything
            #expect(try y2a(["validate", unreadable.path]).status == 3)
        }
        #expect(try y2a(["validate", "--schemas", "/tmp", "SampleFiles/valid"]).status == 3)
    }

    @Test("JSON output has one object per file with every finding")
    func json() throws {
        let run = try y2a(["validate", "--format", "json", "SampleFiles/invalid/doctype-xxe-file.xml", "SampleFiles/valid/asset-core-profile.xml"])
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.count == 2)
        let first = files[0]
        #expect(first["valid"] as? Bool == false)
        let findings = try #require(first["findings"] as? [[String: Any]])
        #expect(findings.first?["code"] as? String == "XML-DOCTYPE")
        for key in ["code", "severity", "line", "message"] {
            #expect(findings.first?[key] != nil, "missing \(key)")
        }
        #expect(files[1]["format"] as? String == "Asset")
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["invalid"] as? Int == 1)
        #expect(summary["valid"] as? Int == 1)
    }

    @Test("no name, date of birth or offence text appears in any output")
    func privacy() throws {
        let run = try y2a(["validate", "--format", "json", "SampleFiles"])
        let text = run.stdout + run.stderr
        // Every personal value of every sample that holds one (names, DOBs, offence descriptions).
        let secrets = PersonalValues.ofSamples
        #expect(secrets.count > 20)
        for secret in secrets {
            #expect(!text.contains(secret), "output contains a personal value")
        }
    }

    @Test("convert writes deterministic, private JSON; a single file goes to stdout")
    func convert() throws {
        let out = try Fixtures.temporaryDirectory()
        let run = try y2a(["convert", "--out", out.path, "SampleFiles/valid/asset-core-profile.xml", "SampleFiles/invalid/asset-total-score-does-not-match-sections.xml"])
        #expect(run.status == 1)
        let written = out.appendingPathComponent("asset-core-profile.case.json")
        let attributes = try FileManager.default.attributesOfItem(atPath: written.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("asset-total-score-does-not-match-sections.case.json").path))
        let single = try y2a(["convert", "SampleFiles/valid/asset-core-profile.xml"])
        #expect(single.status == 0)
        #expect(try Data(contentsOf: written) == Data(single.stdout.utf8))
        #expect(try y2a(["convert", "SampleFiles/valid"]).status == 2)
    }

    @Test("--version: version, commit, build date and libxml2; the same object in --format json outputs")
    func version() throws {
        let run = try y2a(["--version"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let version = try String(contentsOf: Fixtures.root.appendingPathComponent("VERSION"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(lines.count == 4 && lines[0] == "y2a \(version)", "\(run.stdout)")
        let fields = Dictionary(lines.dropFirst().map { ($0.prefix { $0 != " " }.description, $0.drop { $0 != " " }.dropFirst().description) }, uniquingKeysWith: { a, _ in a })
        let commit = try #require(fields["commit"])
        #expect(commit == "unknown" || commit.wholeMatch(of: /[0-9a-f]{12}(-dirty)?/) != nil, "\(commit)")
        #expect(fields["built"]?.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
        #expect(fields["libxml2"]?.wholeMatch(of: /\d+\.\d+\.\d+/) != nil)

        let json = try y2a(["validate", "--format", "json", "SampleFiles/valid/asset-core-profile.xml"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let about = try #require(object["y2a"] as? [String: String])
        #expect(about == ["version": version, "commit": commit, "buildDate": fields["built"]!, "libxml2": fields["libxml2"]!])
    }

    @Test("a missing input of the transfer commands is named: exit 3, nothing built")
    func transferMissingInputs() throws {
        let here = try Fixtures.temporaryDirectory()
        let sample = Fixtures.sample("valid/assetplus-transfer-to-probation.xml")
        let export = try Y2ACommand.run(["transfer", "export", sample, "--kind", "YouthToAdult", "--to", "N07", "--to-name", "Northtown PDU",
                                         "--attach", "psr.pdf", "--out", "outbox", "--store", "y2a.sqlite"], in: here)
        #expect(export.status == 3)
        #expect(export.stderr.contains("cannot read psr.pdf: there is no such file"), "\(export.stderr)")
        #expect(!FileManager.default.fileExists(atPath: here.appendingPathComponent("outbox").path))
        let imported = try Y2ACommand.run(["transfer", "import", "inbox/x.y2a.zip", "--as", "N07", "--store", "y2a.sqlite"], in: here)
        #expect(imported.status == 3)
        #expect(imported.stderr.contains("inbox/x.y2a.zip: cannot read it: there is no such file"), "\(imported.stderr)")
        let receipt = try Y2ACommand.run(["transfer", "receipt", "x.receipt.xml", "--store", "y2a.sqlite"], in: here)
        #expect(receipt.status == 3)
        #expect(receipt.stderr.contains("cannot read x.receipt.xml: there is no such file"), "\(receipt.stderr)")
    }

    @Test("help teaches: examples and exit codes")
    func help() throws {
        let run = try y2a(["validate", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Exit: 0 all valid"))
        #expect(try y2a(["--help"]).stdout.contains("Examples:"))
    }
}
