/// The one escaping function of the portal: every value that came from a document or the store
/// passes through it before it reaches a page.
public func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(character)
        }
    }
    return out
}

/// Builds a page from escaped pieces. Values go in through `text` (escaped); markup written in
/// this module goes in through `raw`.
struct HTMLBuilder {
    private(set) var html = ""

    mutating func raw(_ markup: String) { html += markup }
    mutating func text(_ value: String) { html += escapeHTML(value) }

    /// `<tag>value</tag>` with the value escaped.
    mutating func element(_ tag: String, _ value: String, attributes: String = "") {
        html += "<\(tag)\(attributes.isEmpty ? "" : " " + attributes)>\(escapeHTML(value))</\(tag)>"
    }

    /// A table with a caption and column headers; cells are escaped text.
    mutating func table(caption: String, headers: [String], rows: [[String]], empty: String = "None recorded.") {
        guard !rows.isEmpty else {
            element("p", empty, attributes: "class=\"empty\"")
            return
        }
        raw("<table><caption>\(escapeHTML(caption))</caption><thead><tr>")
        for header in headers { raw("<th scope=\"col\">\(escapeHTML(header))</th>") }
        raw("</tr></thead><tbody>")
        for row in rows {
            raw("<tr>")
            for cell in row { raw("<td>\(escapeHTML(cell))</td>") }
            raw("</tr>")
        }
        raw("</tbody></table>")
    }

    /// A definition list of label/value pairs; `nil` values show as "Not recorded".
    mutating func facts(_ pairs: [(String, String?)]) {
        raw("<dl class=\"facts\">")
        for (label, value) in pairs {
            raw("<div><dt>\(escapeHTML(label))</dt><dd>\(value.map(escapeHTML) ?? "<span class=\"none\">Not recorded</span>")</dd></div>")
        }
        raw("</dl>")
    }
}

/// Shared page frame: inline style only (the portal must work on an offline network), print-friendly.
enum PageFrame {
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(escapeHTML(title))</title>
        <style>\(style)</style>
        </head>
        <body>
        <header class="banner"><a href="/" class="brand">Y2A Gateway</a> <span>Youth to adult case records — OFFICIAL-SENSITIVE</span></header>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    static let style = """
        :root{--ink:#1b1b1b;--muted:#505a5f;--line:#b1b4b6;--band:#f3f2f1;--accent:#1d70b8;--warn:#d4351c;--ok:#00703c}
        *{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:var(--ink);background:#fff}
        .banner{background:#0b0c0c;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1rem;align-items:baseline}
        .banner a{color:#fff;font-weight:700;text-decoration:none}.banner span{color:#dcdcdc;font-size:.9rem}
        main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 3rem}
        h1{font-size:1.8rem;margin:.6rem 0 .2rem}h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:3px solid var(--ink);padding-bottom:.2rem}
        h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
        .lede{color:var(--muted);margin:0 0 1rem}
        table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}caption{text-align:left;font-weight:700;padding:.3rem 0}
        th,td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:var(--band)}
        dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.2rem 1.2rem;margin:.4rem 0 1rem}
        dl.facts div{border-left:4px solid var(--line);padding:.2rem .6rem}dt{font-size:.85rem;color:var(--muted)}dd{margin:0;font-weight:600}
        .none,.empty{color:var(--muted);font-weight:400;font-style:italic}
        .badge{display:inline-block;padding:.1rem .5rem;border:2px solid var(--ink);font-weight:700;font-size:.85rem}
        .risk-High,.risk-VeryHigh{color:var(--warn)}
        form.search{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end;background:var(--band);padding:.8rem;margin:1rem 0}
        form.search label{display:flex;flex-direction:column;font-weight:600;font-size:.9rem}
        input,select,button{font:inherit;padding:.35rem .5rem;border:2px solid var(--ink);background:#fff}button{background:var(--ok);color:#fff;border-color:var(--ok);font-weight:700;cursor:pointer}
        a{color:var(--accent)}a:focus,button:focus,input:focus,select:focus{outline:3px solid #fd0;outline-offset:0}
        .columns{display:grid;grid-template-columns:1fr 1fr;gap:1.2rem}
        @media (max-width:48rem){.columns{grid-template-columns:1fr}}
        @media print{.banner,form.search,.noprint{display:none}main{max-width:none;padding:0}h2{break-after:avoid}table,dl{break-inside:avoid}a{color:inherit;text-decoration:none}}
        """
}
