/// A streaming `multipart/form-data` reader (RFC 7578): bytes go in as they arrive, events come
/// out (a part's headers, pieces of its body, its end), and no more than one chunk plus a
/// boundary's length is ever held. A part's body is never collected here: the caller writes it
/// to a file or, for a small field, keeps it up to its own limit.
struct MultipartParser {
    /// A part's headers, as far as a form needs them.
    struct PartHead: Sendable, Equatable {
        /// The form field's name (`name=` of Content-Disposition).
        var name: String
        /// The file name the browser gave (`filename=`), if the part is a file.
        var fileName: String?
    }

    enum Event: Equatable {
        case partStart(PartHead)
        case data([UInt8])
        case partEnd
    }

    struct Malformed: Error, Equatable {
        var reason: String
    }

    private enum State { case preamble, afterDelimiter, headers, body, done }

    /// `CRLF--boundary`: what ends a part's body.
    private let delimiter: [UInt8]
    private var state = State.preamble
    private var pending: [UInt8]
    private let maxHeaderBytes = 8 * 1024

    /// The boundary from a Content-Type header, or nil when it has none (or not a usable one).
    static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            // RFC 2046: 1 to 70 characters, spaces allowed but not last.
            guard (1...70).contains(value.utf8.count), value.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }), value.last != " " else { return nil }
            return value
        }
        return nil
    }

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The body starts with `--boundary`: read as if a CRLF came before it.
        pending = [13, 10]
    }

    /// True once the closing delimiter was read.
    var isFinished: Bool { state == .done }

    /// Reads the next bytes, returning what they complete.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(Malformed) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var start = 0
        loop: while true {
            switch state {
            case .done:
                start = pending.count
                break loop
            case .preamble:
                guard let found = find(delimiter, from: start) else {
                    // Keep only what could still begin the delimiter.
                    start = max(start, pending.count - delimiter.count + 1)
                    break loop
                }
                start = found + delimiter.count
                state = .afterDelimiter
            case .afterDelimiter:
                guard pending.count - start >= 2 else { break loop }
                let next = (pending[start], pending[start + 1])
                if next == (45, 45) {  // "--": the last part has ended
                    state = .done
                } else if next == (13, 10) {
                    state = .headers
                } else {
                    // Transport padding (RFC 2046: spaces before the CRLF) is tolerated.
                    guard pending[start] == 32 || pending[start] == 9 else { throw Malformed(reason: "bad boundary line") }
                    start += 1
                    continue loop
                }
                start += 2
            case .headers:
                guard let end = find([13, 10, 13, 10], from: start) else {
                    guard pending.count - start <= maxHeaderBytes else { throw Malformed(reason: "part headers too long") }
                    break loop
                }
                guard end - start <= maxHeaderBytes else { throw Malformed(reason: "part headers too long") }
                events.append(.partStart(try Self.head(String(decoding: pending[start..<end], as: UTF8.self))))
                start = end + 4
                state = .body
            case .body:
                if let found = find(delimiter, from: start) {
                    if found > start { events.append(.data(Array(pending[start..<found]))) }
                    events.append(.partEnd)
                    start = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    // Everything but a possible beginning of the delimiter is body.
                    let safe = max(start, pending.count - delimiter.count + 1)
                    if safe > start { events.append(.data(Array(pending[start..<safe]))) }
                    start = safe
                    break loop
                }
            }
        }
        pending.removeFirst(start)
        return events
    }

    /// The first index of `needle` in `pending` at or after `from`.
    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, pending.count - from >= needle.count else { return nil }
        var index = from
        let last = pending.count - needle.count
        while index <= last {
            if pending[index] == first {
                var matched = true
                for offset in 1..<needle.count where pending[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    /// The name and file name from a part's headers.
    static func head(_ text: String) throws(Malformed) -> PartHead {
        for line in text.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else { continue }
            var name: String?
            var fileName: String?
            for parameter in parameters(String(pair[1])) {
                switch parameter.key.lowercased() {
                case "name": name = parameter.value
                case "filename": fileName = parameter.value
                default: break
                }
            }
            guard let name else { throw Malformed(reason: "a part has no field name") }
            return PartHead(name: name, fileName: fileName)
        }
        throw Malformed(reason: "a part has no Content-Disposition")
    }

    /// `form-data; name="a"; filename="b.xml"` → [("name","a"), ("filename","b.xml")]; quoted
    /// values may hold `;`.
    private static func parameters(_ value: String) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        var rest = Substring(value)
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].split(separator: ";").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            rest = rest[rest.index(after: equals)...]
            var parsed = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { parsed.append(character); escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { break } else { parsed.append(character) }
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                parsed = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            result.append((key, parsed))
        }
        return result
    }
}
