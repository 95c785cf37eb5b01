/// Receives a document's elements as they stream past, in document order.
///
/// The reader never builds a whole-document tree; a handler keeps what it needs. The text of
/// an element is the character data since its start tag or its last child: for the leaf
/// elements of the formats, exactly its content.
public protocol XMLEventHandler: AnyObject {
    /// False while the handler ignores what it is given (inside a skipped subtree): the reader
    /// then does not decode attributes or text at all, which is most of a large document.
    var wantsContent: Bool { get }
    func startElement(name: String, namespace: String?, attributes: [XMLAttribute], line: Int)
    func endElement(name: String, text: String, line: Int)
}

/// One attribute of a start tag (unqualified: the formats use no namespaced attributes).
public struct XMLAttribute: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The root element of a document: how its format is recognised (never by file name).
public struct XMLRootName: Sendable, Hashable, CustomStringConvertible {
    public var localName: String
    public var namespace: String?

    public init(localName: String, namespace: String?) {
        self.localName = localName
        self.namespace = namespace
    }

    /// Names and namespaces the schemas do not declare came from the document and are withheld.
    public var description: String {
        let name = SchemaVocabulary.contains(localName) ? localName : "(a name not in any schema)"
        guard let namespace else { return "\(name) in no namespace" }
        return "\(name) in namespace \(SchemaVocabulary.contains(namespace) ? namespace : "(a namespace not in any schema)")"
    }

    /// The root as a finding path: `/Name`, or `/?` for a name the schemas do not declare.
    public var path: String { "/" + (SchemaVocabulary.contains(localName) ? localName : "?") }
}
