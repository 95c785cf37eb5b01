import CLibXML2
import Findings

/// Sorts libxml2's parser errors into the gateway's stable codes, each with plain words that
/// tell the user what kind of problem it is.
struct ParserErrorClass {
    let code: String
    let plainWords: String

    /// What went wrong, in our words: libxml2's own parser messages quote the document (a tag
    /// name that was a surname, the text after an unfinished CDATA section), so none is used.
    let detail: String

    init(domain: Int32, code libxmlCode: Int32, message: String = "") {
        detail = Self.detail(libxmlCode)
        // libxml2's fixed ceilings (10,000,000 bytes for an attribute value, a CDATA section, a
        // comment; 50,000 for a name) are text limits too: they are what our own smaller limit
        // could not see first, because libxml2 reads such a run whole before any callback.
        if message.contains("too long") || message.contains("too big") || libxmlCode == Int32(XML_ERR_NAME_TOO_LONG.rawValue) {
            code = FindingCode.textLimit
            plainWords = "an attribute value, CDATA section, comment or name is longer than the parser accepts; the document is refused"
            return
        }
        if message.contains("Excessive depth") {
            code = FindingCode.depthLimit
            plainWords = "elements are nested deeper than the parser accepts; the document is refused"
            return
        }
        let encodingCodes: Set<Int32> = [
            Int32(XML_ERR_INVALID_ENCODING.rawValue),
            Int32(XML_ERR_UNKNOWN_ENCODING.rawValue),
            Int32(XML_ERR_UNSUPPORTED_ENCODING.rawValue),
            Int32(XML_ERR_INVALID_CHAR.rawValue),
            Int32(XML_IO_ENCODER.rawValue),
        ]
        let truncationCodes: Set<Int32> = [
            Int32(XML_ERR_TAG_NOT_FINISHED.rawValue),
            Int32(XML_ERR_LTSLASH_REQUIRED.rawValue),
        ]
        if domain == Int32(XML_FROM_I18N.rawValue) || encodingCodes.contains(libxmlCode) {
            code = FindingCode.encoding
            plainWords = "the bytes are not valid in the document's encoding (save it as UTF-8, or declare the encoding it really uses)"
        } else if truncationCodes.contains(libxmlCode) {
            code = FindingCode.truncated
            plainWords = "the document ends before it is complete (the file was cut short: export or copy it again)"
        } else if libxmlCode == Int32(XML_ERR_DOCUMENT_EMPTY.rawValue) {
            code = FindingCode.notXML
            plainWords = "no XML element was found (this is not an XML document)"
        } else {
            code = FindingCode.malformed
            plainWords = "the document is not well-formed XML"
        }
    }

    private static let details: [UInt32: String] = [
        XML_ERR_TAG_NAME_MISMATCH.rawValue: "an end tag does not match its start tag",
        XML_ERR_TAG_NOT_FINISHED.rawValue: "an element is not closed",
        XML_ERR_LTSLASH_REQUIRED.rawValue: "an end tag is missing",
        XML_ERR_GT_REQUIRED.rawValue: "a tag is not closed with '>'",
        XML_ERR_NAME_REQUIRED.rawValue: "a tag or attribute name is missing or starts with a character a name cannot start with",
        XML_ERR_ATTRIBUTE_WITHOUT_VALUE.rawValue: "an attribute has no value",
        XML_ERR_ATTRIBUTE_NOT_STARTED.rawValue: "an attribute value does not start with a quote",
        XML_ERR_ATTRIBUTE_NOT_FINISHED.rawValue: "an attribute value is not closed",
        XML_ERR_ATTRIBUTE_REDEFINED.rawValue: "an element has the same attribute twice",
        XML_ERR_LT_IN_ATTRIBUTE.rawValue: "an attribute value contains an unescaped '<'",
        XML_ERR_SPACE_REQUIRED.rawValue: "a space is missing between attributes",
        XML_ERR_EQUAL_REQUIRED.rawValue: "an attribute name is not followed by '='",
        XML_ERR_CDATA_NOT_FINISHED.rawValue: "a CDATA section is not closed",
        XML_ERR_COMMENT_NOT_FINISHED.rawValue: "a comment is not closed",
        XML_ERR_HYPHEN_IN_COMMENT.rawValue: "a comment contains '--'",
        XML_ERR_PI_NOT_FINISHED.rawValue: "a processing instruction is not closed",
        XML_ERR_PI_NOT_STARTED.rawValue: "a processing instruction has no target",
        XML_ERR_RESERVED_XML_NAME.rawValue: "an XML declaration is not at the very start of the file",
        XML_ERR_MISPLACED_CDATA_END.rawValue: "the text contains ']]>'",
        XML_ERR_ENTITYREF_SEMICOL_MISSING.rawValue: "an entity or character reference has no ';'",
        XML_ERR_UNDECLARED_ENTITY.rawValue: "an entity reference names an entity that is not declared (only &amp; &lt; &gt; &quot; &apos; exist)",
        XML_WAR_UNDECLARED_ENTITY.rawValue: "an entity reference names an entity that is not declared (only &amp; &lt; &gt; &quot; &apos; exist)",
        XML_ERR_INVALID_CHARREF.rawValue: "a character reference is not a valid character",
        XML_ERR_INVALID_DEC_CHARREF.rawValue: "a decimal character reference is not a valid character",
        XML_ERR_INVALID_HEX_CHARREF.rawValue: "a hexadecimal character reference is not a valid character",
        XML_ERR_INVALID_CHAR.rawValue: "a character not allowed in XML",
        XML_ERR_DOCUMENT_END.rawValue: "there is content after the root element ends",
        XML_ERR_DOCUMENT_EMPTY.rawValue: "there is no root element",
        XML_ERR_EXTRA_CONTENT.rawValue: "there is content after the root element ends",
        XML_ERR_XMLDECL_NOT_FINISHED.rawValue: "the XML declaration is not closed with '?>'",
        XML_ERR_VERSION_MISSING.rawValue: "the XML declaration has no version",
        XML_ERR_ENCODING_NAME.rawValue: "the declared encoding name is not valid",
        XML_ERR_STANDALONE_VALUE.rawValue: "standalone must be 'yes' or 'no'",
        XML_ERR_STRING_NOT_STARTED.rawValue: "a quoted value does not start with a quote",
        XML_ERR_STRING_NOT_CLOSED.rawValue: "a quoted value is not closed",
        XML_ERR_NOT_WELL_BALANCED.rawValue: "elements are not properly nested",
        XML_ERR_UNKNOWN_ENCODING.rawValue: "the declared encoding is unknown",
        XML_ERR_UNSUPPORTED_ENCODING.rawValue: "the declared encoding is not supported",
        XML_ERR_INVALID_ENCODING.rawValue: "a byte sequence is not valid in the declared encoding",
        XML_NS_ERR_UNDEFINED_NAMESPACE.rawValue: "a namespace prefix is used without being declared",
        XML_NS_ERR_QNAME.rawValue: "a name has more than one ':'",
        XML_NS_ERR_ATTRIBUTE_REDEFINED.rawValue: "an element has the same namespaced attribute twice",
        XML_NS_ERR_XML_NAMESPACE.rawValue: "the xml or xmlns prefix is misused",
        XML_WAR_NS_URI.rawValue: "a namespace name is not a valid URI",
        XML_WAR_NS_URI_RELATIVE.rawValue: "a namespace name is a relative URI",
        XML_ERR_NAME_TOO_LONG.rawValue: "a name is longer than the parser accepts",
        XML_ERR_INTERNAL_ERROR.rawValue: "the parser gave up on this input",
    ]

    private static func detail(_ code: Int32) -> String {
        details[UInt32(bitPattern: code)] ?? "libxml2 error \(code)"
    }
}
