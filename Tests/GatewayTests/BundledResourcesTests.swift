import BuildInfo
import BundledResources
import Foundation
import Gateway
import TestSupport
import Testing

/// The copies compiled into the binary are the checkout's files, byte for byte, and work.
@Suite("Built-in XSDs and template")
struct BundledResourcesTests {
    /// Every shipped file, as the EmbedResources plugin embeds them.
    static func shippedPaths() throws -> [String] {
        var paths: [String] = []
        for (folder, suffix) in [("XSD", ".xsd"), ("Templates", ".mustache"), ("Sources/API", "openapi.yaml")] {
            let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.root.appendingPathComponent(folder).path)
            paths += names.filter { $0.hasSuffix(suffix) }.map { "\(folder)/\($0)" }
        }
        return paths.sorted()
    }

    @Test("each embedded file equals its file in XSD/ or Templates/, and none is missing")
    func sameBytes() throws {
        let paths = try Self.shippedPaths()
        #expect(BundledResources.paths == paths)
        #expect(paths.contains("XSD/assetplus.xsd") && paths.contains("Templates/noco.html.mustache"))
        for path in paths {
            let onDisk = try Data(contentsOf: Fixtures.root.appendingPathComponent(path))
            #expect(BundledResources.contents(of: path) == onDisk, "\(path) differs from its built-in copy: rebuild")
        }
        #expect(BundledResources.contents(of: "XSD/missing.xsd") == nil)
    }

    static let builtIn = try? SchemaCatalog(origin: .builtIn)

    @Test("the built-in XSDs compile and judge every sample as the folder's do", arguments: Fixtures.sampleNames)
    func builtInSchemas(sample: String) throws {
        let builtIn = try #require(Self.builtIn)
        #expect(builtIn.origin == .builtIn)
        let report = try DocumentProcessor(schemas: builtIn).process(.file(Fixtures.sample(sample))).report
        let expected = try #require(Fixtures.expectations[sample])
        #expect(report.valid == expected.valid)
        #expect(Set(report.findings.map(\.code)) == Set(expected.codes))
    }

    @Test("the build information: a version from VERSION, a commit, a date and the libxml2 in use")
    func buildInfo() throws {
        let info = BuildInfo.current
        let version = try String(contentsOf: Fixtures.root.appendingPathComponent("VERSION"), encoding: .utf8)
        #expect(info.version == version.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(info.commit == "unknown" || info.commit.wholeMatch(of: /[0-9a-f]{12}(-dirty)?/) != nil, "\(info.commit)")
        #expect(info.buildDate.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
        #expect(info.libxml2.wholeMatch(of: /\d+\.\d+\.\d+/) != nil, "\(info.libxml2)")
        #expect(info.versionText.hasPrefix("y2a \(info.version)\ncommit \(info.commit)\n"))
    }
}
