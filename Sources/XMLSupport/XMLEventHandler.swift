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

    public var description: String {
        if let namespace { return "\(localName) in namespace \(namespace)" }
        return "\(localName) in no namespace"
    }
}
