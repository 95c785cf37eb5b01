import CLibXML2
import Findings

/// The state of one pass over one document, reached from libxml2's C callbacks through an
/// unretained pointer. Lives on one thread for one document.
final class ParseSession {
    enum Stop {
        case doctype
        case depth
        case text
        case afterRoot
    }

    let limits: XMLLimits
    let stopAfterRoot: Bool
    /// Held strongly for the one pass: a weak load on every event costs more than the parse.
    /// Dropped at the first schema error: what it collects is used only for a valid document
    /// (rules, mapping), and an invalid one must not make it keep an element per tag (2,000,000
    /// elements the schema does not allow, all attached to the root, took 200 MB).
    private(set) var handler: (any XMLEventHandler)?
    /// The byte source: once it fails (size limit, I/O), what libxml2 says about the cut is noise.
    var reader: ByteReader?
    /// The validation context, when validating (used to find the parser context it creates).
    var validationContext: xmlSchemaValidCtxtPtr?
    /// The parser context, once known.
    var parser: xmlParserCtxtPtr?

    var root: XMLRootName?
    var rootLine: Int?
    var findings: [Finding] = []
    var suppressed = 0
    var stop: Stop?

    /// Element names from the root down to the current element. After an end tag the ended
    /// element stays on top until the next event, because libxml2 reports the schema errors of
    /// an end tag after our callback has run: the path of such an error still names the element.
    private var stack: [String] = []
    private var popPending = false
    private var text: [UInt8] = []
    /// Length of the current text node, counted even when its bytes are not kept.
    private var textLength = 0
    /// Interned names: libxml2 hands out the same dictionary pointer for the same name, so a
    /// small direct-mapped cache keyed by the pointer avoids hashing on every event.
    private var nameKeys = [UnsafeRawPointer?](repeating: nil, count: 256)
    private var nameValues = [String](repeating: "", count: 256)

    init(limits: XMLLimits, stopAfterRoot: Bool, handler: (any XMLEventHandler)?) {
        self.limits = limits
        self.stopAfterRoot = stopAfterRoot
        self.handler = handler
        text.reserveCapacity(256)
    }

    var currentParser: xmlParserCtxtPtr? {
        if parser == nil, let validationContext {
            parser = xmlSchemaValidCtxtGetParserCtxt(validationContext)
        }
        return parser
    }

    var line: Int { Int(y2a_parser_line(currentParser)) }
    var column: Int { Int(y2a_parser_column(currentParser)) }

    /// The element path of a finding. A name the schemas do not declare came from the
    /// document (a mutated value can become a tag name), so it shows as `?`.
    var path: String? {
        stack.isEmpty ? nil : "/" + stack.map { SchemaVocabulary.contains($0) ? $0 : "?" }.joined(separator: "/")
    }

    // MARK: Events

    func name(_ pointer: UnsafePointer<xmlChar>?) -> String? {
        guard let pointer else { return nil }
        let key = UnsafeRawPointer(pointer)
        let slot = (Int(bitPattern: key) >> 3) & 255
        if nameKeys[slot] == key { return nameValues[slot] }
        let value = string(pointer) ?? ""
        nameKeys[slot] = key
        nameValues[slot] = value
        return value
    }

    func startElement(
        _ localName: String, namespace: String?, attributeCount: Int,
        attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        guard stop == nil else { return }
        settlePop()
        if root == nil {
            root = XMLRootName(localName: localName, namespace: namespace)
            rootLine = line
            if stopAfterRoot {
                halt(.afterRoot)
                return
            }
        }
        stack.append(localName)
        if stack.count > limits.maxDepth {
            add(Finding(
                code: FindingCode.depthLimit,
                message: "elements are nested more than \(limits.maxDepth) deep; the document is refused",
                line: line, column: column, path: path))
            halt(.depth)
            return
        }
        // SAX2 attributes: five pointers each (local name, prefix, URI, value start, value end).
        var list: [XMLAttribute] = []
        let decode = handler?.wantsContent ?? false
        if attributeCount > 0, let attributes {
            if decode { list.reserveCapacity(attributeCount) }
            for index in 0..<attributeCount {
                let base = index * 5
                guard let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                if end - start > limits.maxTextBytes {
                    let attributeName = name(attributes[base]) ?? ""
                    textTooLong(what: SchemaVocabulary.contains(attributeName) ? "attribute '\(attributeName)'" : "an attribute")
                    return
                }
                if decode, let attributeName = name(attributes[base]) {
                    list.append(XMLAttribute(name: attributeName, value: attributeValue(from: start, to: end)))
                }
            }
        }
        text.removeAll(keepingCapacity: true)
        textLength = 0
        handler?.startElement(name: localName, namespace: namespace, attributes: list, line: line)
    }

    func endElement(_ localName: String) {
        guard stop == nil else { return }
        settlePop()
        if let handler {
            let content = handler.wantsContent ? text.withUnsafeBufferPointer(utf8String) : ""
            handler.endElement(name: localName, text: content, line: line)
        }
        text.removeAll(keepingCapacity: true)
        textLength = 0
        popPending = true
    }

    func characters(_ bytes: UnsafePointer<xmlChar>, count: Int) {
        guard stop == nil else { return }
        settlePop()
        textLength += count
        if textLength > limits.maxTextBytes {
            textTooLong(what: "a text node")
            return
        }
        if handler?.wantsContent == true {
            text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        }
    }

    func doctype() {
        add(Finding(
            code: FindingCode.doctype,
            message: "the document has a DOCTYPE declaration; none of the formats uses one, so it is refused before validation (no DTD is loaded and no entity is expanded)",
            line: line, column: column))
        halt(.doctype)
    }

    private func textTooLong(what: String) {
        add(Finding(
            code: FindingCode.textLimit,
            message: "\(what) is longer than \(limits.maxTextBytes) bytes; the document is refused",
            line: line, column: column, path: path))
        halt(.text)
    }

    private func settlePop() {
        if popPending {
            stack.removeLast()
            popPending = false
        }
    }

    /// Stops the pass from inside a SAX callback.
    ///
    /// Only the DOCTYPE stop may free the parser's input at once (`xmlStopParser`): nothing
    /// reads the buffer after that callback, and freeing it is what keeps libxml2 from reading
    /// the internal subset. Every other stop happens in a start-element or text callback, which
    /// the schema validator's own handler follows with the same pointers into the input: there
    /// the parser is only flagged to stop and the reader feeds it no more bytes (see
    /// `y2a_stop_parser_in_callback`).
    func halt(_ reason: Stop) {
        stop = reason
        reader?.refuseFurtherInput()
        guard let parser = currentParser else { return }
        if reason == .doctype {
            xmlStopParser(parser)
        } else {
            y2a_stop_parser_in_callback(parser)
        }
    }

    // MARK: Findings

    func add(_ finding: Finding) {
        if findings.count < limits.maxFindings {
            if findings.last != finding { findings.append(finding) }
        } else {
            suppressed += 1
        }
    }

    /// A libxml2 error or warning, classified and with every document value withheld.
    func record(_ error: xmlError) {
        // Once we stopped the parser on purpose, or the input failed, what libxml2 says next is noise.
        guard stop == nil, reader?.failure == nil else { return }
        if error.domain == Int32(XML_FROM_PARSER.rawValue), error.code == Int32(XML_ERR_USER_STOP.rawValue) { return }
        let raw = error.message.map { String(cString: $0) } ?? "unknown error"
        // libxml2's internal follow-up to a value it already reported as invalid: noise.
        if raw.contains("No precomputed value available") { return }
        let errorLine = error.line > 0 ? Int(error.line) : line
        let errorColumn = error.int2 > 0 ? Int(error.int2) : nil
        let severity: Severity = error.level == XML_ERR_WARNING ? .warning : .error
        if error.domain == Int32(XML_FROM_SCHEMASV.rawValue) || error.domain == Int32(XML_FROM_SCHEMASP.rawValue) {
            // The values libxml2 formatted into the message, so they are withheld wherever they are.
            let arguments = [error.str1, error.str2, error.str3].compactMap { $0.map { String(cString: $0) } }
            let message = MessageRedaction.redact(raw, arguments: arguments)
            add(Finding(code: FindingCode.schema, severity: severity, message: message, line: errorLine, column: errorColumn, path: path))
            if severity == .error { handler = nil }
            return
        }
        // Parser errors: our own words by code; libxml2's text is used only to spot its limits.
        let classified = ParserErrorClass(domain: error.domain, code: error.code, message: raw)
        add(Finding(
            code: classified.code, severity: .error,
            message: "\(classified.plainWords): \(classified.detail)",
            line: errorLine, column: errorColumn, path: path))
        // One of libxml2's own ceilings: the rest of the document is not read (what follows a
        // cut-off CDATA section would only be reported again, as text over our own limit).
        if classified.code == FindingCode.textLimit || classified.code == FindingCode.depthLimit {
            halt(.text)
        }
    }
}
