#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks the raw bytes against three limits before libxml2 parses them.
///
/// - Attributes per start tag: libxml2 2.9 checks each attribute of a tag against every
///   earlier one (and the schema validator does again), so a tag with 200,000 attributes costs
///   tens of seconds before any callback of ours could count them.
/// - Length of an attribute value, CDATA section, comment or processing instruction: libxml2
///   reads each of these whole (up to its own 10,000,000-byte ceiling) before any callback.
/// - NUL bytes, in a document not in UTF-16 or UTF-32: XML cannot contain one, and libxml2
///   takes a NUL for the end of its input, so a document padded with NULs (or with anything
///   after a NUL) would otherwise pass as well-formed.
///
/// It sees the bytes as the reader hands them over and stops the read at the first breach. It
/// tracks only enough XML to find start tags (quoted values, comments, CDATA sections,
/// processing instructions, end tags); it is not a parser and never decides well-formedness.
struct MarkupScanner {
    private enum State {
        case text
        case afterLessThan
        case startTag
        case quoted(UInt8)
        case endTag
        case bang(Int)  // after `<!`, the count of `-` or the `[` seen
        case comment(Int)  // trailing `-` count
        case cdata(Int)  // trailing `]` count
        case declaration
        case processingInstruction(Bool)  // last byte was `?`
    }

    enum Breach: Equatable {
        case attributes
        /// An attribute value, CDATA section, comment or processing instruction (the name).
        case length(String)
        /// At this offset from the start of the document.
        case nul(Int64)
    }

    let maxAttributes: Int
    let maxLength: Int
    private var state = State.text
    private var attributes = 0
    /// Bytes of the current quoted value, CDATA section, comment or processing instruction.
    private var length = 0
    private var offset: Int64 = 0
    /// Decided from the first bytes: NUL is a byte of every character in UTF-16 and UTF-32.
    private var checksNUL: Bool?
    private(set) var breach: Breach?

    init(maxAttributes: Int, maxLength: Int) {
        self.maxAttributes = maxAttributes
        self.maxLength = maxLength
    }

    /// Scans the next bytes of the document; false once a limit is breached.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard breach == nil else { return false }
        if checksNUL == nil, bytes.count >= 2 {
            let wide = (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) || bytes[0] == 0 || bytes[1] == 0
            checksNUL = !wide
        }
        if checksNUL == true, let base = bytes.baseAddress, let hit = memchr(base, 0, bytes.count) {
            breach = .nul(offset + Int64(UnsafeRawPointer(hit) - base))
            return false
        }
        defer { offset += Int64(bytes.count) }
        return walk(bytes)
    }

    private mutating func walk(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch state {
            case .text:
                // Most of a document is text between tags: jump to the next `<`.
                guard let next = Self.find(UInt8(ascii: "<"), in: bytes, from: index) else { return true }
                index = next
                state = .afterLessThan
            case .afterLessThan:
                switch byte {
                case UInt8(ascii: "/"): state = .endTag
                case UInt8(ascii: "?"):
                    state = .processingInstruction(false)
                    length = 0
                case UInt8(ascii: "!"): state = .bang(0)
                default:
                    attributes = 0
                    state = .startTag
                }
            case .startTag:
                // Names and spaces make most of a tag: skip to the next quote, `=` or `>` in
                // one tight loop instead of a turn of the state machine per byte.
                var next = index
                while next < count {
                    let b = bytes[next]
                    if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: ">") { break }
                    if b == UInt8(ascii: "=") {
                        attributes += 1
                        if attributes > maxAttributes {
                            breach = .attributes
                            return false
                        }
                    }
                    next += 1
                }
                guard next < count else { return true }
                index = next
                let found = bytes[next]
                if found == UInt8(ascii: ">") {
                    state = .text
                } else {
                    state = .quoted(found)
                    length = 0
                }
            case .quoted(let quote):
                guard let close = Self.find(quote, in: bytes, from: index) else {
                    length += count - index
                    return length <= maxLength || exceed("an attribute value")
                }
                length += close - index
                if length > maxLength { return exceed("an attribute value") }
                index = close
                state = .startTag
            case .endTag, .declaration:
                guard let close = Self.find(UInt8(ascii: ">"), in: bytes, from: index) else { return true }
                index = close
                state = .text
            case .bang(let seen):
                length = 0
                if byte == UInt8(ascii: "-") {
                    state = seen == 1 ? .comment(0) : .bang(1)
                } else if byte == UInt8(ascii: "["), seen == 0 {
                    state = .cdata(0)
                } else {
                    state = .declaration
                }
            case .comment(let dashes):
                length += 1
                if length > maxLength { return exceed("a comment") }
                if byte == UInt8(ascii: ">"), dashes >= 2 {
                    state = .text
                } else {
                    state = .comment(byte == UInt8(ascii: "-") ? dashes + 1 : 0)
                }
            case .cdata(let brackets):
                length += 1
                if length > maxLength { return exceed("a CDATA section") }
                // `<![CDATA[`'s own opening brackets count as content here; only `]]>` ends it.
                if byte == UInt8(ascii: ">"), brackets >= 2 {
                    state = .text
                } else {
                    state = .cdata(byte == UInt8(ascii: "]") ? brackets + 1 : 0)
                }
            case .processingInstruction(let question):
                length += 1
                if length > maxLength { return exceed("a processing instruction") }
                if byte == UInt8(ascii: ">"), question {
                    state = .text
                } else {
                    state = .processingInstruction(byte == UInt8(ascii: "?"))
                }
            }
            index += 1
        }
        return true
    }

    private mutating func exceed(_ what: String) -> Bool {
        breach = .length(what)
        return false
    }

    private static func find(_ byte: UInt8, in bytes: UnsafeRawBufferPointer, from index: Int) -> Int? {
        guard index < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + index, Int32(byte), bytes.count - index) else { return nil }
        return UnsafeRawPointer(hit) - base
    }
}
