/// Checks a NOCO template's tags before Mustache parses it, for the faults Mustache itself
/// would let through silently or report poorly:
///
/// - an unescaped tag (`{{{x}}}`, `{{&x}}`) or a `CONTENT_TYPE` pragma other than HTML, which
///   would print a value without HTML escaping;
/// - a partial or parent tag (`{{>x}}`, `{{<x}}`, `{{$x}}`): a NOCO template is one file;
/// - a variable or transform the NOCO does not have, which Mustache renders as nothing;
/// - a section closed by the wrong name, or never closed (reported at the line that opened it,
///   where Mustache only says "expected section end" at the end of the file).
struct TemplateScanner {
    struct Problem: Error {
        var line: Int
        var column: Int
        var message: String
    }

    /// Names a tag may use, at any level (`youngPerson`, `familyName`, …).
    let knownNames: Set<String>

    /// swift-mustache's transforms (and the sequence context's `first()`, `index()`, …).
    static let transforms: Set<String> = [
        "empty", "capitalized", "lowercased", "uppercased", "reversed", "first", "last", "count", "sorted",
        "enumerated", "equalzero", "plusone", "minusone", "even", "odd", "index",
    ]

    func check(_ text: String) throws(Problem) {
        let chars = Array(text)
        var open = "{{"
        var close = "}}"
        var sections: [(name: String, line: Int, column: Int)] = []
        var i = 0
        var line = 1
        var column = 1

        func matches(_ token: String, at index: Int) -> Bool {
            let t = Array(token)
            guard index + t.count <= chars.count else { return false }
            return Array(chars[index..<(index + t.count)]) == t
        }
        func advance(to index: Int) {
            while i < index {
                if chars[i] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                i += 1
            }
        }

        while i < chars.count {
            guard matches(open, at: i) else {
                advance(to: i + 1)
                continue
            }
            let (tagLine, tagColumn) = (line, column)
            let contentStart = i + open.count
            var end = contentStart
            while end < chars.count, !matches(close, at: end) { end += 1 }
            guard end < chars.count else {
                throw Problem(line: tagLine, column: tagColumn, message: "a tag opened here is never closed with \(close)")
            }
            let content = String(chars[contentStart..<end])
            advance(to: end + close.count)

            let trimmed = content.trimmingWhitespace()
            guard let sigil = trimmed.first else {
                throw Problem(line: tagLine, column: tagColumn, message: "empty tag \(open)\(close)")
            }
            let rest = String(trimmed.dropFirst()).trimmingWhitespace()
            func problem(_ message: String) -> Problem { Problem(line: tagLine, column: tagColumn, message: message) }

            switch sigil {
            case "!":
                continue
            case "=":
                let parts = rest.dropLast().split(whereSeparator: \.isWhitespace)
                guard rest.hasSuffix("="), parts.count == 2 else { throw problem("a set-delimiter tag needs two delimiters, as in {{=<% %>=}}") }
                open = String(parts[0])
                close = String(parts[1])
            case "{", "&":
                throw problem("unescaped tag \(open)\(content)\(close): write \(open)\(rest.trimmingCharacters(["{", "}"]))\(close) so that the value is HTML-escaped")
            case "%":
                if trimmed.contains("CONTENT_TYPE"), !trimmed.contains("HTML") {
                    throw problem("a CONTENT_TYPE other than HTML would turn off HTML escaping")
                }
            case ">", "<", "$":
                throw problem("partials and template inheritance are not supported: a NOCO template is one self-contained file")
            case "#", "^":
                try checkName(rest, problem)
                sections.append((rest, tagLine, tagColumn))
            case "/":
                guard let last = sections.popLast() else {
                    throw problem("\(open)/\(rest)\(close) closes a section that was never opened")
                }
                guard last.name == rest else {
                    throw problem("section \"\(last.name)\" opened on line \(last.line) is closed by \(open)/\(rest)\(close)")
                }
            default:
                try checkName(trimmed, problem)
            }
        }
        if let unclosed = sections.last {
            throw Problem(
                line: unclosed.line, column: unclosed.column,
                message: "section \"\(unclosed.name)\" opened here is never closed (add {{/\(unclosed.name)}})")
        }
    }

    /// `name`, `a.b`, `.`, `transform(name)`, `first()`: every part must be known.
    private func checkName(_ raw: String, _ problem: (String) -> Problem) throws(Problem) {
        var name = Substring(raw)
        while let paren = name.firstIndex(of: "(") {
            let transform = String(name[..<paren]).trimmingWhitespace()
            guard Self.transforms.contains(transform) else {
                throw problem("unknown transform \"\(transform)\"")
            }
            guard name.last == ")" else { throw problem("unbalanced brackets in \"\(raw)\"") }
            name = name[name.index(after: paren)..<name.index(before: name.endIndex)]
        }
        if name.isEmpty || name == "." { return }
        if name.first == "." { name = name.dropFirst() }
        for part in name.split(separator: ".", omittingEmptySubsequences: false) where !knownNames.contains(String(part)) {
            throw problem("unknown variable \"\(raw)\": the NOCO has no \"\(part)\" (docs/noco.md lists the template variables)")
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    func trimmingCharacters(_ set: Set<Character>) -> String {
        String(drop(while: set.contains).reversed().drop(while: set.contains).reversed())
    }
}
