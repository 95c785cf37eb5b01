import Foundation
import Portal

extension BatchRunReport {
    /// A readable report: one self-contained page (inline CSS, no scripts), every value escaped.
    public func html(organisation: String) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>y2a batch run \(runId ?? 0)</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
            th{background:#f3f3f3}.quarantined,.rejected,.failed{background:#fff3f0}.bad{color:#a40000;font-weight:bold}
            code{font-size:12px}
            </style></head><body>
            """
        page += "<h1>y2a batch run \(runId ?? 0) for \(escapeHTML(organisation))</h1>"
        page += "<p>Started \(escapeHTML(startedAt)); \(files.count) files in \(String(format: "%.2f", seconds)) s "
        page += "(\(String(format: "%.1f", filesPerSecond)) files/s, \(String(format: "%.2f", megabytesPerSecond)) MB/s). Exit status \(exitStatus).</p>"
        if let failure { page += "<p class=\"bad\">The run stopped: \(escapeHTML(failure))</p>" }
        if let y2a { page += "<p>\(escapeHTML(y2a.line)).</p>" }
        page += "<table><caption>Files by outcome</caption><thead><tr><th>Outcome</th><th>Files</th></tr></thead><tbody>"
        let counts = self.counts
        for outcome in FileOutcome.allCases {
            guard let count = counts[outcome.rawValue] else { continue }
            page += "<tr><td>\(escapeHTML(outcome.rawValue))</td><td>\(count)</td></tr>"
        }
        page += "</tbody></table>"
        if leftForLater > 0 { page += "<p>\(leftForLater) files left in the inbox for a later run (being written or not settled yet).</p>" }
        if notStarted > 0 { page += "<p class=\"bad\">\(notStarted) files not reached: the next run takes them.</p>" }
        page += "<table><caption>Files</caption><thead><tr><th>File</th><th>Kind</th><th>Outcome</th><th>Moved to</th><th>Codes</th><th>Transfer</th><th>Receipt</th><th>Note</th></tr></thead><tbody>"
        for entry in files {
            let cells = [
                entry.name, entry.kind?.rawValue ?? "", entry.outcome.rawValue, entry.movedTo ?? "",
                entry.codes.joined(separator: " "), entry.transferId ?? "", entry.receipt ?? "",
                entry.error ?? (entry.recovered ? "decided by an interrupted run" : ""),
            ]
            page += "<tr class=\"\(escapeHTML(entry.outcome.rawValue))\">" + cells.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>"
        }
        page += "</tbody></table></body></html>\n"
        return page
    }
}
