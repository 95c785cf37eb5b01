import XMLSupport
/// Writes an indented XML document element by element, escaping every value.
///
/// Only what NOCO.xml needs: elements with attributes and either text or children. Text is
/// escaped for element content (`&`, `<`, `>`, and CR so that it survives), attribute values
/// also for quotes, tabs and line breaks (which attribute normalisation would otherwise turn
/// into spaces). A character XML 1.0 cannot carry at all becomes U+FFFD: values read from a
/// valid document never hold one.
struct XMLTextWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    /// `<name attr="…">` with the children that follow, until `end()`.
    mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += indentation + "<" + name + Self.attributes(attributes) + ">\n"
        open.append(name)
    }

    mutating func end() {
        let name = open.removeLast()
        text += indentation + "</" + name + ">\n"
    }

    /// `<name attr="…">text</name>`.
    mutating func element(_ name: String, _ value: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += indentation + "<" + name + Self.attributes(attributes) + ">" + Self.escape(value, inAttribute: false) + "</" + name + ">\n"
    }

    /// `<name>text</name>` when there is a value, nothing otherwise.
    mutating func element(_ name: String, ifPresent value: String?) {
        if let value { element(name, value) }
    }

    /// `<name attr="…"/>`.
    mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        text += indentation + "<" + name + Self.attributes(attributes) + "/>\n"
    }

    private var indentation: String { String(repeating: "  ", count: open.count) }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(escape($0.value, inAttribute: true))\"" }.joined()
    }

    static func escape(_ value: String, inAttribute: Bool) -> String {
        inAttribute ? XMLEscaping.attribute(value) : XMLEscaping.text(value)
    }
}
