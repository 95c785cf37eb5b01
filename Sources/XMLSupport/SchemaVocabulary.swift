#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every name and fixed value the project's XSDs declare (element, attribute and type names,
/// enumeration values, patterns, namespaces), gathered as each schema is compiled.
///
/// A message may quote a word only when it is in here: a name in a finding then always comes
/// from the schema, never from the document (a mutated document can turn a surname into a tag
/// name, `<Pendlebury-Vance>`, or an attribute name). Shared by every thread; written while
/// schemas compile, read when a finding is made (rare), so a plain lock is enough.
public enum SchemaVocabulary {
    private final class Store: @unchecked Sendable {
        var mutex = pthread_mutex_t()
        var words: Set<String> = []
        init() { pthread_mutex_init(&mutex, nil) }
    }

    private static let store = Store()

    /// True when `word` is declared by a compiled schema (or by the XSD namespace itself).
    public static func contains(_ word: String) -> Bool {
        if builtIn.contains(word) { return true }
        pthread_mutex_lock(&store.mutex)
        defer { pthread_mutex_unlock(&store.mutex) }
        return store.words.contains(word)
    }

    /// Adds the declared names and values of one XSD's text.
    static func register(xsd text: String) {
        var found: Set<String> = []
        for raw in declaredValues(in: text) {
            let value = unescape(raw)
            found.insert(value)
            // `xs:date`, `tns:PNCType`: libxml2 prints both the prefixed and the local form.
            if let colon = value.firstIndex(of: ":"), !value.hasPrefix("urn:"), !value.contains("/") {
                found.insert(String(value[value.index(after: colon)...]))
            }
        }
        pthread_mutex_lock(&store.mutex)
        store.words.formUnion(found)
        pthread_mutex_unlock(&store.mutex)
    }

    /// Reads and registers the XSD at `path` (quietly: a schema that compiled can be read).
    static func register(xsdAt path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        register(xsd: String(decoding: bytes, as: UTF8.self))
    }

    /// The attributes whose values are words a message may quote.
    static let declaringAttributes = ["name", "value", "ref", "type", "base", "itemType", "targetNamespace", "namespace", "fixed", "default"]
        .map { Array($0.utf8) }

    /// The values of the declaring attributes in an XSD's text, in order: what the regex
    /// `(?:name|value|ref|type|base|itemType|targetNamespace|namespace|fixed|default)="([^"]*)"`
    /// matches, found byte by byte (Swift's Regex took 20 ms of every run's start-up on these
    /// schemas, 6% of validating 500 files).
    static func declaredValues(in text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var values: [String] = []
            let quote = UInt8(ascii: "\""), equals = UInt8(ascii: "=")
            var index = 1
            while index + 1 < bytes.count {
                // `="` ends an attribute name; a match is a declaring name ending just before it.
                guard bytes[index] == equals, bytes[index + 1] == quote else {
                    index += 1
                    continue
                }
                let declared = declaringAttributes.contains { name in
                    name.count <= index && bytes[(index - name.count)..<index].elementsEqual(name)
                }
                guard declared else {
                    index += 1
                    continue
                }
                let start = index + 2
                var end = start
                while end < bytes.count, bytes[end] != quote { end += 1 }
                guard end < bytes.count else {
                    index += 1
                    continue
                }
                values.append(String(decoding: bytes[start..<end], as: UTF8.self))
                index = end + 1
            }
            return values
        }
    }

    private static func unescape(_ value: String) -> String {
        guard value.contains("&") else { return value }
        return value.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&apos;", with: "'").replacing("&amp;", with: "&")
    }

    /// The XSD built-in types and facet names libxml2 quotes in its messages.
    static let builtIn: Set<String> = [
        "enumeration", "pattern", "length", "minLength", "maxLength", "minInclusive", "maxInclusive",
        "minExclusive", "maxExclusive", "totalDigits", "fractionDigits", "whiteSpace",
        "element-only", "mixed", "empty", "simple",
        "xs:string", "xs:normalizedString", "xs:token", "xs:date", "xs:dateTime", "xs:time", "xs:gYear",
        "xs:boolean", "xs:decimal", "xs:integer", "xs:int", "xs:long", "xs:short", "xs:byte",
        "xs:nonNegativeInteger", "xs:positiveInteger", "xs:unsignedInt", "xs:unsignedShort", "xs:unsignedByte",
        "xs:ID", "xs:IDREF", "xs:IDREFS", "xs:NCName", "xs:Name", "xs:QName", "xs:anyURI", "xs:language",
        "xs:NMTOKEN", "xs:duration", "xs:double", "xs:float", "xs:base64Binary", "xs:hexBinary",
        "xs:anySimpleType", "xs:anyType",
    ]
}
