import Foundation
import TestSupport
import Testing

/// y2a outside the checkout: copied alone, installed under a prefix, reached through a symlink on
/// PATH. The XSDs and the NOCO template travel inside the binary; a prefix's `share/y2a/` is found
/// from the binary's real path; `--schemas`, `--template`, `Y2A_XSD_DIR` and `Y2A_TEMPLATE_DIR`
/// still override.
@Suite("y2a installed elsewhere")
struct InstallTests {
    static let sample = Fixtures.sample("valid/contract-example-asset.xml")
    static let receiver = ["--to", "N07", "--to-name", "Northtown PDU"]

    /// A copy of the built y2a at `folder/relativePath`, and nothing else of the checkout.
    static func copy(to folder: URL, as relativePath: String = "y2a") throws -> URL {
        let target = folder.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Y2ACommand.binary.resolvingSymlinksInPath(), to: target)
        return target
    }

    @Test("a copy of the binary alone validates SampleFiles and writes a NOCO from another folder")
    func copiedAlone() throws {
        let binary = try Self.copy(to: try Fixtures.temporaryDirectory())
        let elsewhere = try Fixtures.temporaryDirectory()
        let validate = try Y2ACommand.run(["validate", Fixtures.samples.appendingPathComponent("valid").path], in: elsewhere, executable: binary)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("24 files: 24 valid, 0 invalid"))
        let invalid = try Y2ACommand.run(["validate", Fixtures.sample("invalid/asset-sex-lower-case.xml")], in: elsewhere, executable: binary)
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("error[XSD]"))
        let noco = try Y2ACommand.run(["noco", Self.sample] + Self.receiver + ["--out", "out"], in: elsewhere, executable: binary)
        #expect(noco.status == 0, "\(noco.stderr)")
        let html = try String(contentsOf: elsewhere.appendingPathComponent("out/NOCO.html"), encoding: .utf8)
        // The shipped template's row (the built-in copy equals it byte for byte: BundledResourcesTests).
        #expect(html.contains("<tr><th scope=\"row\">Date of birth</th><td>1996-10-01 (age 17 on transfer)</td></tr>"))
    }

    @Test("Y2A_XSD_DIR and Y2A_TEMPLATE_DIR override the built-in copies; a wrong one is an error, not ignored")
    func environment() throws {
        let binary = try Self.copy(to: try Fixtures.temporaryDirectory())
        let here = try Fixtures.temporaryDirectory()
        let empty = try Fixtures.temporaryDirectory()
        let wrongXSD = try Y2ACommand.run(["validate", Self.sample], in: here, environment: ["Y2A_XSD_DIR": empty.path], executable: binary)
        #expect(wrongXSD.status == 3)
        #expect(wrongXSD.stderr.contains("Y2A_XSD_DIR=\(empty.path) holds no assetplus.xsd"), "\(wrongXSD.stderr)")
        // --schemas wins over the environment.
        let explicit = try Y2ACommand.run(["validate", "--schemas", Fixtures.xsdDirectory.path, Self.sample], in: here, environment: ["Y2A_XSD_DIR": empty.path], executable: binary)
        #expect(explicit.status == 0, "\(explicit.stderr)")

        let templates = try Fixtures.temporaryDirectory()
        try Data("<p>ours: {{to.name}}</p>\n".utf8).write(to: templates.appendingPathComponent("noco.html.mustache"))
        let ours = try Y2ACommand.run(["noco", Self.sample] + Self.receiver + ["--out", "a"], in: here, environment: ["Y2A_TEMPLATE_DIR": templates.path], executable: binary)
        #expect(ours.status == 0, "\(ours.stderr)")
        #expect(try String(contentsOf: here.appendingPathComponent("a/NOCO.html"), encoding: .utf8) == "<p>ours: Northtown PDU</p>\n")
        let wrongTemplate = try Y2ACommand.run(["noco", Self.sample] + Self.receiver + ["--out", "b"], in: here, environment: ["Y2A_TEMPLATE_DIR": empty.path], executable: binary)
        #expect(wrongTemplate.status == 3)
        #expect(wrongTemplate.stderr.contains("Y2A_TEMPLATE_DIR"), "\(wrongTemplate.stderr)")
        // --template wins over the environment.
        let explicit2 = try Y2ACommand.run(["noco", Self.sample] + Self.receiver + ["--out", "c", "--template", templates.appendingPathComponent("noco.html.mustache").path],
                                           in: here, environment: ["Y2A_TEMPLATE_DIR": empty.path], executable: binary)
        #expect(explicit2.status == 0, "\(explicit2.stderr)")
    }

    /// `<prefix>/share/y2a/XSD` holding a broken assetplus.xsd proves which folder is read: the
    /// built-in copy would compile.
    @Test("under <prefix>/bin, <prefix>/share/y2a is read, also through a symlink on PATH")
    func prefix() throws {
        let prefix = try Fixtures.temporaryDirectory()
        let binary = try Self.copy(to: prefix, as: "bin/y2a")
        let shared = prefix.appendingPathComponent("share/y2a/XSD")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.xsdDirectory.path) {
            try FileManager.default.copyItem(at: Fixtures.xsdDirectory.appendingPathComponent(name), to: shared.appendingPathComponent(name))
        }
        try Data("<not-a-schema/>".utf8).write(to: shared.appendingPathComponent("assetplus.xsd"))
        let onPath = try Fixtures.temporaryDirectory()
        try FileManager.default.createSymbolicLink(at: onPath.appendingPathComponent("y2a"), withDestinationURL: binary)
        for executable in [binary, onPath.appendingPathComponent("y2a")] {
            let run = try Y2ACommand.run(["validate", Self.sample], in: try Fixtures.temporaryDirectory(), executable: executable)
            #expect(run.status == 3)
            #expect(run.stderr.contains("share/y2a/XSD/assetplus.xsd"), "\(run.stderr)")
        }
        // Without the folder, the built-in copy is used.
        try FileManager.default.removeItem(at: prefix.appendingPathComponent("share"))
        #expect(try Y2ACommand.run(["validate", Self.sample], in: onPath, executable: onPath.appendingPathComponent("y2a")).status == 0)
    }
}
