public import Foundation
public import Gateway
import XMLSupport

/// Paths and shared objects for tests: the checkout's XSDs and sample files (never copied, so a
/// test always runs against what ships).
public enum Fixtures {
    /// The checkout root, found from this file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let xsdDirectory = root.appendingPathComponent("XSD")
    public static let samples = root.appendingPathComponent("SampleFiles")

    /// Schemas compiled once for the whole test run.
    public static let schemas: SchemaCatalog = {
        do {
            return try SchemaCatalog(directory: xsdDirectory)
        } catch {
            fatalError("the project's XSDs do not compile: \(error)")
        }
    }()

    /// What each sample should give (SampleFiles/expected.json).
    public struct Expectation: Decodable, Sendable {
        public var valid: Bool
        public var codes: [String]
    }

    public static let expectations: [String: Expectation] = {
        let data = try! Data(contentsOf: samples.appendingPathComponent("expected.json"))
        return try! JSONDecoder().decode([String: Expectation].self, from: data)
    }()

    /// Relative sample paths (`valid/x.xml`), sorted.
    public static var sampleNames: [String] { expectations.keys.sorted() }
    public static var validSampleNames: [String] { sampleNames.filter { expectations[$0]!.valid } }

    public static func sample(_ name: String) -> String {
        samples.appendingPathComponent(name).path
    }

    /// The contract's example of a file in ../shared/formats, extracted from its ```xml block.
    public static func contractExample(_ file: String, index: Int = 0) throws -> String {
        let text = try String(contentsOf: root.deletingLastPathComponent().appendingPathComponent("shared/formats/\(file)"), encoding: .utf8)
        let blocks = text.components(separatedBy: "```xml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        return blocks[index]
    }

    /// A fresh private temporary folder.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Processes one document from memory.
    public static func process(_ xml: String, name: String = "inline.xml", options: ProcessingOptions = .init(), convert: Bool = false) throws -> ProcessedDocument {
        try DocumentProcessor(schemas: schemas, options: options).process(.data(Array(xml.utf8), name: name), convert: convert)
    }

    /// Processes one document file.
    public static func process(file path: String, options: ProcessingOptions = .init(), convert: Bool = false) throws -> ProcessedDocument {
        try DocumentProcessor(schemas: schemas, options: options).process(.file(path), convert: convert)
    }
}
