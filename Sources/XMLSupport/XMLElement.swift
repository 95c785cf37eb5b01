/// A small element subtree, built from the stream for one piece of a document (a header, an
/// offence, a factor) and dropped once read: never a whole large document.
public final class XMLElement {
    public let name: String
    public let attributes: [XMLAttribute]
    public internal(set) var text: String = ""
    public internal(set) var children: [XMLElement] = []
    /// Line of the start tag.
    public let line: Int

    init(name: String, attributes: [XMLAttribute], line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    /// The value of an attribute, if present.
    public subscript(attribute name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// The first child element with this name.
    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// All child elements with this name, in document order.
    public func children(_ name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// The text of the first child with this name.
    public func text(of name: String) -> String? {
        child(name)?.text
    }
}

/// Turns the event stream into small subtrees. Elements whose path (`Root/Child/Leaf`, without
/// namespaces) is in `split` are handed to `emit` as soon as they end, and not kept in their
/// parent; everything else stays attached, and the root itself is emitted last. So a format
/// reader sees a long offence list one offence at a time, with memory that does not grow
/// with the list.
public final class SubtreeBuilder: XMLEventHandler {
    private let split: Set<String>
    private let skip: Set<String>
    private let emit: (_ path: String, _ element: XMLElement) -> Void
    private var stack: [(element: XMLElement, path: String)] = []
    /// Depth of the skipped element we are inside, and how deep we are below it.
    private var skipping = 0

    /// - Parameters:
    ///   - split: paths whose elements are emitted on their own as soon as they end.
    ///   - skip: paths whose whole subtree is not built at all (and whose text and attributes
    ///     the reader then does not even decode), for what a reader does not need.
    public init(split: Set<String>, skip: Set<String> = [], emit: @escaping (_ path: String, _ element: XMLElement) -> Void) {
        self.split = split
        self.skip = skip
        self.emit = emit
    }

    public var wantsContent: Bool { skipping == 0 }

    public func startElement(name: String, namespace: String?, attributes: [XMLAttribute], line: Int) {
        if skipping > 0 {
            skipping += 1
            return
        }
        let path = stack.last.map { "\($0.path)/\(name)" } ?? name
        if skip.contains(path) {
            skipping = 1
            return
        }
        stack.append((XMLElement(name: name, attributes: attributes, line: line), path))
    }

    public func endElement(name: String, text: String, line: Int) {
        if skipping > 0 {
            skipping -= 1
            return
        }
        guard let (element, path) = stack.popLast() else { return }
        if element.children.isEmpty {
            element.text = text
        }
        if split.contains(path) || stack.isEmpty {
            emit(path, element)
        } else {
            stack[stack.count - 1].element.children.append(element)
        }
    }
}
