import Access
import Gateway

/// The upload form, and each checked file's findings as `y2a validate` gives them (severity,
/// code, line, element path, message; messages never quote a document's values), with a
/// "Store as a case" button for a valid one.
struct UploadPage {
    struct Checked {
        var token: String?
        var fileName: String
        var report: DocumentReport
    }

    var checked: [Checked] = []
    var stored: (caseId: Int64, again: Bool)?
    var maxFileBytes: Int64
    var session: AuthenticatedSession?

    func render() -> String {
        var page = HTMLBuilder()
        page.element("h1", "Upload and check")
        if let stored {
            let text = stored.again ? "This document was stored before, as case \(stored.caseId)." : "Stored as case \(stored.caseId)."
            page.raw("<div class=\"notice\" role=\"status\">\(escapeHTML(text)) <a href=\"/cases/\(stored.caseId)\">Open case \(stored.caseId)</a></div>")
        }
        page.element(
            "p", "Choose one or more Asset.XML or AssetPlus.XML files exported from your case management system. Each is checked as `y2a validate` checks it; a valid one can then be stored as a case of your organisation.",
            attributes: "class=\"lede\"")
        // The token comes first: the server reads it before any file.
        page.raw("""
            <form class="search" method="post" action="/uploads" enctype="multipart/form-data">\
            <input type="hidden" name="csrf" value="\(escapeHTML(session?.csrfToken ?? ""))">\
            <label for="files">Files (at most \(maxFileBytes) bytes each)<input id="files" name="files" type="file" multiple required accept=".xml,.XML,application/xml,text/xml"></label>\
            <button type="submit">Check</button></form>
            """)
        for item in checked {
            let report = item.report
            page.element("h2", item.fileName)
            let verdict = report.valid
                ? "Valid \(report.format?.rawValue ?? "") document\(report.warningCount > 0 ? " (\(report.warningCount) warning\(report.warningCount == 1 ? "" : "s"))" : "")."
                : "Not valid: \(report.errorCount) error\(report.errorCount == 1 ? "" : "s")\(report.warningCount > 0 ? ", \(report.warningCount) warning\(report.warningCount == 1 ? "" : "s")" : "")."
            page.raw("<p class=\"\(report.valid ? "notice" : "alert")\" role=\"status\">\(escapeHTML(verdict))</p>")
            page.table(
                caption: "Findings", headers: ["Severity", "Code", "Line", "Element", "Message"],
                rows: report.findings.map { [$0.severity.rawValue, $0.code, $0.line.map(String.init) ?? "", $0.path ?? "", $0.message] },
                empty: "No findings.")
            if report.moreFindings > 0 {
                page.element("p", "And \(report.moreFindings) more finding\(report.moreFindings == 1 ? "" : "s") not listed.", attributes: "class=\"empty\"")
            }
            if let token = item.token, report.valid {
                page.raw("""
                    <form method="post" action="/uploads/\(escapeHTML(token))/store">\
                    <input type="hidden" name="csrf" value="\(escapeHTML(session?.csrfToken ?? ""))">\
                    <button type="submit">Store as a case of \(escapeHTML(session?.caller.organisation ?? ""))</button></form>
                    """)
            }
        }
        return PageFrame.page(title: "Upload and check — Y2A Gateway", body: page.html, session: session)
    }
}
