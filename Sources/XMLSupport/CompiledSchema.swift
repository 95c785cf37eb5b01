import CLibXML2
import Findings

/// An XSD compiled once and shared, read-only, by every worker thread.
///
/// libxml2 allows one `xmlSchemaPtr` to be used by many validation contexts at once, as long
/// as each thread has its own context (see `SchemaValidator`).
public final class CompiledSchema: @unchecked Sendable {
    let pointer: xmlSchemaPtr
    /// The file the schema was compiled from.
    public let path: String

    /// Compiles the XSD at `path`. Only local files are read: the project's XSDs import nothing.
    public init(path: String) throws(SchemaError) {
        XMLLibrary.initialize()
        self.pointer = try Self.compile(xmlSchemaNewParserCtxt(path), path: path)
        self.path = path
        SchemaVocabulary.register(xsdAt: path)
    }

    /// Compiles an XSD held in memory (one compiled into the binary); `name` stands for its path
    /// in messages. The XSD must be self-contained, as the project's are: it imports nothing.
    public init(bytes: [UInt8], name: String) throws(SchemaError) {
        XMLLibrary.initialize()
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { throw SchemaError(path: name, messages: ["the schema is empty or too large"]) }
        // The parser context reads the buffer until xmlSchemaParse returns: both happen here.
        let result = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                Result { () throws(SchemaError) in
                    try Self.compile(xmlSchemaNewMemParserCtxt(chars.baseAddress, Int32(chars.count)), path: name)
                }
            }
        }
        self.pointer = try result.get()
        self.path = name
        SchemaVocabulary.register(xsd: String(decoding: bytes, as: UTF8.self))
    }

    private static func compile(_ parserContext: xmlSchemaParserCtxtPtr?, path: String) throws(SchemaError) -> xmlSchemaPtr {
        guard let parserContext else {
            throw SchemaError(path: path, messages: ["cannot create a schema parser"])
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        let collector = MessageCollector()
        let schema = withExtendedLifetime(collector) { () -> xmlSchemaPtr? in
            xmlSchemaSetParserStructuredErrors(
                parserContext, messageCollectorHandler, Unmanaged.passUnretained(collector).toOpaque())
            return xmlSchemaParse(parserContext)
        }
        guard let schema else {
            throw SchemaError(path: path, messages: collector.messages.isEmpty ? ["the schema did not compile"] : collector.messages)
        }
        return schema
    }

    deinit {
        xmlSchemaFree(pointer)
    }
}

/// An XSD that did not compile: an installation problem, not a problem with a document.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let messages: [String]

    public var description: String {
        "cannot compile schema \(path): \(messages.prefix(3).joined(separator: "; ")) (reinstall the XSD folder)"
    }
}

/// Collects plain messages (schema compilation only: those messages describe our XSDs, not a child).
final class MessageCollector {
    var messages: [String] = []
}

let messageCollectorHandler: xmlStructuredErrorFunc = { userData, error in
    guard let userData, let error else { return }
    let collector = Unmanaged<MessageCollector>.fromOpaque(userData).takeUnretainedValue()
    let text = string(UnsafePointer(error).pointee.message.map { UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self) }) ?? "unknown error"
    collector.messages.append("line \(UnsafePointer(error).pointee.line): \(text.trimmingTrailingNewlines())")
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last.isNewline || last == " " { s.removeLast() }
        return String(s)
    }
}

/// Process-wide libxml2 set-up, done once before any concurrent use.
public enum XMLLibrary {
    private static let once: Void = {
        xmlInitParser()
    }()

    /// Initialises libxml2 (not thread-safe in 2.9.14: the first call must come before workers start).
    public static func initialize() {
        _ = once
    }
}
