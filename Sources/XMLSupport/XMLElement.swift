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
    /// A node of the trie of element paths seen so far, so that each element's path, and
    /// whether it is split or skipped, is found without building or hashing a path string.
    private struct PathNode {
        var path: String
        var split: Bool
        var skip: Bool
        var children: [(name: String, node: Int)] = []
    }

    private let split: Set<String>
    private let skip: Set<String>
    private let emit: (_ path: String, _ element: XMLElement) -> Void
    private var nodes = [PathNode(path: "", split: false, skip: false)]
    private var stack: [(element: XMLElement, node: Int)] = []
    /// How deep we are inside a skipped subtree (0: not skipping).
    private var skipping = 0

    /// - Parameters:
    ///   - split: paths (`Root/Child/Leaf`) whose elements are emitted on their own as soon as they end.
    ///   - skip: paths whose whole subtree is not built at all (and whose text and attributes
    ///     the reader then does not even decode), for what a reader does not need.
    public init(split: Set<String>, skip: Set<String> = [], emit: @escaping (_ path: String, _ element: XMLElement) -> Void) {
        self.split = split
        self.skip = skip
        self.emit = emit
    }

    public var wantsContent: Bool { skipping == 0 }

    private func node(under parent: Int, named name: String) -> Int {
        for child in nodes[parent].children where child.name == name {
            return child.node
        }
        let path = parent == 0 ? name : nodes[parent].path + "/" + name
        nodes.append(PathNode(path: path, split: split.contains(path), skip: skip.contains(path)))
        nodes[parent].children.append((name, nodes.count - 1))
        return nodes.count - 1
    }

    public func startElement(name: String, namespace: String?, attributes: [XMLAttribute], line: Int) {
        if skipping > 0 {
            skipping += 1
            return
        }
        let index = node(under: stack.last?.node ?? 0, named: name)
        if nodes[index].skip {
            skipping = 1
            return
        }
        stack.append((XMLElement(name: name, attributes: attributes, line: line), index))
    }

    public func endElement(name: String, text: String, line: Int) {
        if skipping > 0 {
            skipping -= 1
            return
        }
        guard let (element, index) = stack.popLast() else { return }
        if element.children.isEmpty {
            element.text = text
        }
        if nodes[index].split || stack.isEmpty {
            emit(nodes[index].path, element)
        } else {
            stack[stack.count - 1].element.children.append(element)
        }
    }
}
