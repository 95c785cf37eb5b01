public import Foundation
public import XMLSupport
import Findings

/// manifest.xml or receipt.xml that is not what the contract allows. The message names
/// elements, lines and codes only.
public struct TransferDocumentError: Error, Sendable, CustomStringConvertible {
    public var document: String
    public var message: String

    public init(document: String, message: String) {
        self.document = document
        self.message = message
    }

    public var description: String { "\(document): \(message)" }
}

/// Reads the small transfer documents (manifest.xml, receipt.xml): one streaming pass that
/// refuses any DOCTYPE and validates against transfer.xsd, then a small element tree.
/// Not `Sendable` (it owns a libxml2 validation context); make one per thread.
public final class TransferDocumentReader {
    /// Largest manifest or receipt read: a manifest lists a few files, a receipt a few reasons.
    public static let limits = XMLLimits(maxDocumentBytes: 1 << 20, maxDepth: 8, maxTextBytes: 64 * 1024, maxFindings: 10)

    private let schema: CompiledSchema
    private let reader = XMLStreamReader(limits: TransferDocumentReader.limits)

    /// - Parameter schema: the compiled transfer.xsd (`SchemaCatalog.transfer`).
    public init(schema: CompiledSchema) {
        self.schema = schema
    }

    /// The document's root element, once the bytes are valid against transfer.xsd and the
    /// root is `root` (the XSD accepts either root in any file).
    public func read(_ bytes: Data, name: String, root expected: String) throws(TransferDocumentError) -> XMLSupport.XMLElement {
        var root: XMLSupport.XMLElement?
        let builder = SubtreeBuilder(split: []) { _, element in root = element }
        let result: XMLParseResult
        do {
            result = try reader.read(.data([UInt8](bytes), name: name), schema: schema, handler: builder)
        } catch {
            throw TransferDocumentError(document: name, message: "cannot be read: \(error)")
        }
        if let first = result.findings.sortedForReport().first(where: \.isError) {
            let more = result.findings.filter(\.isError).count - 1
            throw TransferDocumentError(
                document: name,
                message: "is not valid against transfer.xsd: \(first)\(more > 0 ? " (and \(more) more)" : "")")
        }
        guard let root, result.root?.localName == expected else {
            throw TransferDocumentError(document: name, message: "the root element must be \(expected), found \(result.root.map { String($0.path.dropFirst()) } ?? "none")")
        }
        return root
    }
}
