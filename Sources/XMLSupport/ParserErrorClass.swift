import CLibXML2
import Findings

/// Sorts libxml2's parser errors into the gateway's stable codes, each with plain words that
/// tell the user what kind of problem it is.
struct ParserErrorClass {
    let code: String
    let plainWords: String

    init(domain: Int32, code libxmlCode: Int32) {
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
}
