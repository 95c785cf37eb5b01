import CLibXML2
import Findings

/// Reads documents safely, one at a time, on one thread: streaming (no tree, memory flat in
/// the document's size), optionally validating against an XSD in the same pass.
///
/// Safety: no network and no DTD, ever; a DOCTYPE stops the parser the moment it is seen
/// (`XML-DOCTYPE`), so no entity is declared, let alone expanded; depth, text and size limits
/// stop it too. Bytes are fed by `ByteReader`, never by libxml2's own loader.
///
/// Not `Sendable`: give each worker thread its own reader. Compiled schemas are shared.
public final class XMLStreamReader {
    public let limits: XMLLimits
    /// Off only in tests that must reach the parser's own callbacks with markup the scanner
    /// would refuse first (see `MarkupScanner`).
    var scansMarkup = true
    private var validators: [ObjectIdentifier: (schema: CompiledSchema, context: xmlSchemaValidCtxtPtr)] = [:]

    public init(limits: XMLLimits = .default) {
        XMLLibrary.initialize()
        self.limits = limits
    }

    deinit {
        for entry in validators.values {
            xmlSchemaFreeValidCtxt(entry.context)
        }
    }

    /// Reads the prolog and the root start tag only: enough to recognise the format, and to
    /// refuse empty files, non-XML, bad encodings and DOCTYPEs before any validation.
    public func sniff(_ input: XMLInput) throws(XMLReadError) -> XMLParseResult {
        let reader = try makeReader(input)
        let head = reader.peek(count: 512)
        if head.isEmpty {
            return XMLParseResult(
                root: nil,
                findings: [Finding(code: FindingCode.empty, message: "the file is empty (0 bytes): export it again")],
                suppressedFindings: 0, bytesRead: 0, stoppedEarly: true)
        }
        if !Self.looksLikeXML(head) {
            return XMLParseResult(
                root: nil,
                findings: [Finding(
                    code: FindingCode.notXML,
                    message: "the file does not start with XML markup (it looks like binary data or plain text); check that the right file was exported",
                    line: 1, column: 1)],
                suppressedFindings: 0, bytesRead: Int64(head.count), stoppedEarly: true)
        }
        return try parse(input, reader: reader, schema: nil, handler: nil, stopAfterRoot: true)
    }

    /// Reads the whole document, validating against `schema` when given, and passes every
    /// element to `handler`.
    ///
    /// `onBytes` sees every byte of the input once, in order, as it is read (to hash the
    /// document in the same pass); `XMLParseResult.readToEnd` says whether it saw them all.
    public func read(
        _ input: XMLInput, schema: CompiledSchema?, handler: (any XMLEventHandler)?,
        onBytes: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) throws(XMLReadError) -> XMLParseResult {
        let reader = try makeReader(input)
        reader.observer = onBytes
        return try parse(input, reader: reader, schema: schema, handler: handler, stopAfterRoot: false)
    }

    // MARK: -

    private func makeReader(_ input: XMLInput) throws(XMLReadError) -> ByteReader {
        let reader: ByteReader
        switch input {
        case .file(let path): reader = try ByteReader(path: path, limit: limits.maxDocumentBytes)
        case .data(let data, _): reader = ByteReader(data: data, limit: limits.maxDocumentBytes)
        }
        if scansMarkup {
            reader.scanner = MarkupScanner(maxAttributes: limits.maxAttributes, maxLength: limits.maxTextBytes)
        }
        return reader
    }

    private func parse(
        _ input: XMLInput, reader: ByteReader, schema: CompiledSchema?, handler: (any XMLEventHandler)?, stopAfterRoot: Bool
    ) throws(XMLReadError) -> XMLParseResult {
        let session = ParseSession(limits: limits, stopAfterRoot: stopAfterRoot, handler: handler)
        session.reader = reader
        let sax = makeSAXHandler()
        defer {
            sax.deinitialize(count: 1)
            sax.deallocate()
        }
        let sessionPointer = Unmanaged.passUnretained(session).toOpaque()
        let readerPointer = Unmanaged.passUnretained(reader).toOpaque()

        let status: Int32 = withExtendedLifetime((session, reader)) {
            y2a_silence_generic_errors()
            // Per-thread in libxml2 2.9: parser errors of this pass go to this session only.
            xmlSetStructuredErrorFunc(sessionPointer, sessionErrorHandler)
            defer { xmlSetStructuredErrorFunc(nil, nil) }

            if let schema {
                let context = validator(for: schema)
                session.validationContext = context
                defer {
                    session.validationContext = nil
                    session.parser = nil
                }
                xmlSchemaSetValidStructuredErrors(context, sessionErrorHandler, sessionPointer)
                guard let buffer = xmlParserInputBufferCreateIO(
                    byteReaderRead, byteReaderClose, readerPointer, XML_CHAR_ENCODING_NONE)
                else { return -1 }
                // Streaming validation with our SAX handler behind the schema's: one pass, no tree.
                return xmlSchemaValidateStream(context, buffer, XML_CHAR_ENCODING_NONE, sax, sessionPointer)
            } else {
                guard let parser = xmlCreateIOParserCtxt(
                    sax, sessionPointer, byteReaderRead, byteReaderClose, readerPointer, XML_CHAR_ENCODING_NONE)
                else { return -1 }
                defer {
                    session.parser = nil
                    xmlFreeParserCtxt(parser)
                }
                xmlCtxtUseOptions(parser, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue))
                session.parser = parser
                return xmlParseDocument(parser)
            }
        }

        switch reader.failure {
        case .readError(let code)?:
            throw XMLReadError(path: input.displayName, errno: code)
        case .tooLarge?:
            session.findings.removeAll { $0.code != FindingCode.schema }
            session.add(Finding(
                code: FindingCode.sizeLimit,
                message: "the document is larger than the limit of \(limits.maxDocumentBytes) bytes; it was not read further (raise the limit only for a trusted source)"))
        case .markup(let breach)?:
            // Reported alone: what libxml2 says about the cut-off markup is noise.
            session.findings.removeAll()
            let line = session.line > 0 ? session.line : nil
            switch breach {
            case .attributes:
                session.add(Finding(
                    code: FindingCode.attributeLimit,
                    message: "an element has more than \(limits.maxAttributes) attributes; the document was not read further (the formats use at most a few per element)",
                    line: line))
            case .length(let what):
                session.add(Finding(
                    code: FindingCode.textLimit,
                    message: "\(what) is longer than \(limits.maxTextBytes) bytes; the document was not read further",
                    line: line))
            case .nul(let offset):
                session.add(Finding(
                    code: FindingCode.malformed,
                    message: "the document is not well-formed XML: it contains a NUL byte (at byte \(offset)), which XML does not allow; the file is damaged or padded",
                    line: line))
            }
        case nil:
            if status != 0, session.findings.isEmpty, session.stop == nil {
                session.add(Finding(
                    code: schema == nil ? FindingCode.malformed : FindingCode.schema,
                    message: "the document could not be processed (libxml2 status \(status))"))
            }
        }
        // A cut-off document makes libxml2 complain about the half tag too; the cut is the news.
        if let cut = session.findings.first(where: { $0.code == FindingCode.truncated }) {
            session.findings.removeAll { $0.code == FindingCode.malformed && ($0.line ?? 0) >= (cut.line ?? 0) }
        }
        return XMLParseResult(
            root: session.root,
            rootLine: session.rootLine,
            findings: session.findings,
            suppressedFindings: session.suppressed,
            bytesRead: reader.bytesRead,
            stoppedEarly: session.stop != nil,
            readToEnd: reader.reachedEnd && reader.failure == nil)
    }

    private func validator(for schema: CompiledSchema) -> xmlSchemaValidCtxtPtr {
        let key = ObjectIdentifier(schema)
        if let existing = validators[key] { return existing.context }
        guard let context = xmlSchemaNewValidCtxt(schema.pointer) else {
            fatalError("libxml2 could not allocate a schema validation context (out of memory)")
        }
        validators[key] = (schema, context)
        return context
    }

    /// A cheap look at the first bytes: XML starts, after an optional BOM and white space,
    /// with `<`; UTF-16 and UTF-32 start with a BOM or a zero byte beside `<`.
    static func looksLikeXML(_ head: [UInt8]) -> Bool {
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) { return true }
        if head.starts(with: [0x00, 0x3C]) || head.starts(with: [0x3C, 0x00]) { return true }
        if head.starts(with: [0x00, 0x00]) { return head.count >= 4 && (head[2] == 0x00 || head[2] == 0xFE) && head.contains(0x3C) }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.contains(0x00) { return false }
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return false }
        return first == UInt8(ascii: "<")
    }
}
