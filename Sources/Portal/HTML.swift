import Access

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
    /// With `hideEmptyColumns`, a column with no value in any row ("" or "—") is left out.
    mutating func table(caption: String, headers: [String], rows: [[String]], empty: String = "None recorded.", hideEmptyColumns: Bool = false) {
        guard !rows.isEmpty else {
            element("p", empty, attributes: "class=\"empty\"")
            return
        }
        if hideEmptyColumns {
            let kept = headers.indices.filter { column in rows.contains { column < $0.count && !["", "—"].contains($0[column]) } || column == 0 }
            if kept.count < headers.count {
                table(caption: caption, headers: kept.map { headers[$0] }, rows: rows.map { row in kept.map { $0 < row.count ? row[$0] : "" } }, empty: empty)
                return
            }
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
/// The protective marking is on screen in the banner and, in print, at the top and foot of
/// every page (fixed elements repeat on each printed page).
enum PageFrame {
    static func page(title: String, body: String, session: AuthenticatedSession? = nil) -> String {
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
        <div class="marking marking-top" aria-hidden="true">OFFICIAL-SENSITIVE</div>
        <header class="banner"><a href="/" class="brand">Y2A Gateway</a> <span>Youth to adult case records — OFFICIAL-SENSITIVE</span>\(userBar(session))</header>
        <main>
        \(body)
        </main>
        <div class="marking marking-foot" aria-hidden="true">OFFICIAL-SENSITIVE</div>
        </body>
        </html>

        """
    }

    /// Who is signed in, the pages their roles open, and the sign-out form.
    static func userBar(_ session: AuthenticatedSession?) -> String {
        guard let session, !session.secondFactorPending else { return "" }
        let caller = session.caller
        var links: [(String, String)] = []
        if Policy.may(caller, .readCases) { links.append(("/", "Cases")) }
        if Policy.may(caller, .readTransfers, .organisation(caller.organisation)) { links.append(("/transfers", "Transfers")) }
        if Policy.may(caller, .uploadCases, .organisation(caller.organisation)) { links.append(("/uploads", "Upload")) }
        if Policy.may(caller, .readAudit, .organisation(caller.organisation)) { links.append(("/audit", "Audit trail")) }
        if Policy.may(caller, .manageUsers) { links.append(("/admin/users", "Users")) }
        if Policy.may(caller, .manageOrganisations) { links.append(("/admin/orgs", "Organisations")) }
        let nav = links.map { "<a href=\"\($0.0)\">\($0.1)</a>" }.joined(separator: " ")
        return """
            <nav class="user" aria-label="Account">\(nav) <span class="who">\(escapeHTML(caller.who)) (\(escapeHTML(caller.organisation)))</span>\
            <form method="post" action="/sign-out" class="inline"><input type="hidden" name="csrf" value="\(escapeHTML(session.csrfToken))">\
            <button type="submit" class="link">Sign out</button></form></nav>
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
        .banner .user{margin-left:auto;display:flex;gap:.8rem;align-items:baseline}.banner .who{color:#fff}
        form.inline{display:inline;margin:0}button.link{background:none;border:none;color:#fff;text-decoration:underline;padding:0;font-weight:400}
        .marking{display:none}
        .alert{border-left:8px solid var(--warn);background:#fbe9e7;padding:.6rem .8rem;margin:.6rem 0}.alert strong{color:var(--warn)}
        .notice{border-left:8px solid var(--accent);background:#e8f1f8;padding:.6rem .8rem;margin:.6rem 0}
        .pager{display:flex;gap:1rem;align-items:center;margin:.6rem 0}
        form.stack{display:grid;gap:.6rem;max-width:26rem}form.stack label{display:flex;flex-direction:column;font-weight:600}
        .fields label{display:flex;flex-direction:column;font-weight:600;max-width:26rem;margin:.4rem 0}.fields textarea{font:inherit}
        @media print{.marking{display:block;position:fixed;left:0;right:0;text-align:center;font-weight:700;font-size:10pt}.marking-top{top:0}.marking-foot{bottom:0}
        body{margin:1.5cm 0}
        .banner,form.search,.noprint,.pager,nav.user{display:none}main{max-width:none;padding:0}h2{break-after:avoid}table,dl{break-inside:avoid}a{color:inherit;text-decoration:none}}
        """
}
