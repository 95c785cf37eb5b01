import Access
import CaseStore

/// An organisation's transfers: the packages it sent, with their status, and the packages it
/// received, with its decision; filtered by status. Person ids only, never a name.
struct TransfersPage {
    /// The statuses of the contract, as the filter offers them (a decision is accepted or rejected).
    static let statuses = ["awaiting", "transferred", "accepted", "rejected"]

    var outgoing: [TransferRow]
    var incoming: [ReceivedPackage]
    var status: String?
    var session: AuthenticatedSession?

    func render() -> String {
        var page = HTMLBuilder()
        page.element("h1", "Transfers")
        page.raw("<form class=\"search\" method=\"get\" action=\"/transfers\"><label for=\"status\">Status<select id=\"status\" name=\"status\">")
        for value in [""] + Self.statuses {
            let selected = (status ?? "") == value ? " selected" : ""
            page.raw("<option value=\"\(value)\"\(selected)>\(value.isEmpty ? "Any" : Words.transferStatus(value))</option>")
        }
        page.raw("</select></label><button type=\"submit\">Filter</button></form>")

        page.element("h2", "Sent")
        if outgoing.isEmpty {
            page.element("p", status == nil ? "No transfer sent." : "No transfer sent with this status.", attributes: "class=\"empty\"")
        } else {
            page.raw("<table><caption>Sent</caption><thead><tr>")
            for header in ["Transfer", "Kind", "Person id", "To", "Status", "When", "Reason"] { page.raw("<th scope=\"col\">\(header)</th>") }
            page.raw("</tr></thead><tbody>")
            for row in outgoing {
                page.raw("<tr><td><a href=\"/transfers/\(escapeHTML(row.transferId))\">\(escapeHTML(row.transferId))</a></td>")
                for cell in [Words.code(row.kind), row.personRef, "\(row.recipientCode) \(row.recipientName)", Words.transferStatus(row.status), row.updatedAt, row.reason ?? ""] {
                    page.raw("<td>\(escapeHTML(cell))</td>")
                }
                page.raw("</tr>")
            }
            page.raw("</tbody></table>")
        }

        page.element("h2", "Received")
        if incoming.isEmpty {
            page.element("p", status == nil ? "No package received." : "No package received with this status.", attributes: "class=\"empty\"")
        } else {
            page.raw("<table><caption>Received</caption><thead><tr>")
            for header in ["Transfer", "Kind", "Person id", "From", "Decision", "When", "Reason", "Case"] { page.raw("<th scope=\"col\">\(header)</th>") }
            page.raw("</tr></thead><tbody>")
            for row in incoming {
                if let id = row.transferId {
                    page.raw("<tr><td><a href=\"/transfers/\(escapeHTML(id))\">\(escapeHTML(id))</a></td>")
                } else {
                    page.raw("<tr><td><span class=\"none\">Unreadable package</span></td>")
                }
                for cell in [row.kind.map(Words.code) ?? "—", row.personRef ?? "—", row.senderCode ?? "—", row.decision, row.decidedAt, row.reasons] {
                    page.raw("<td>\(escapeHTML(cell))</td>")
                }
                page.raw("<td>\(row.caseId.map { "<a href=\"/cases/\($0)\">Case \($0)</a>" } ?? "")</td></tr>")
            }
            page.raw("</tbody></table>")
        }
        return PageFrame.page(title: "Transfers — Y2A Gateway", body: page.html, session: session)
    }
}

/// One transfer as the organisation sees it: its ledger row and full history when this hub's
/// ledger holds it (sent by the organisation, or sent to it by another organisation of the
/// hub), and every decision the organisation took on a package with this TransferId.
struct TransferPage {
    var transferId: String
    var organisation: String
    var ledger: TransferRow?
    var history: [TransferEvent]
    var decisions: [ReceivedPackage]
    var session: AuthenticatedSession?

    func render() -> String {
        var page = HTMLBuilder()
        page.element("h1", "Transfer \(transferId)")
        page.raw("<p class=\"lede\"><a href=\"/transfers\">All transfers</a></p>")
        if let row = ledger {
            let sent = row.senderCode == organisation
            page.element("h2", sent ? "Sent" : "Sent to you")
            page.facts([
                ("Kind", Words.code(row.kind)), ("Person id", row.personRef), ("From", row.senderCode),
                ("To", "\(row.recipientCode) \(row.recipientName)"), ("Status", Words.transferStatus(row.status)),
                ("Package", row.packageName), ("Created", row.createdAt), ("Last change", row.updatedAt), ("Reason", row.reason),
            ])
            if sent, row.status == "awaiting", let reason = row.reason {
                page.raw("<div class=\"alert\" role=\"alert\"><strong>!</strong> Not delivered: \(escapeHTML(reason))</div>")
            }
            if sent, row.status == "rejected", let session, Policy.may(session.caller, .handleTransfers, .organisation(organisation)) {
                page.raw("""
                    <form method="post" action="/transfers/\(escapeHTML(row.transferId))/resend">\
                    <input type="hidden" name="csrf" value="\(escapeHTML(session.csrfToken))">\
                    <button type="submit">Re-send as a new package</button></form>
                    """)
            }
            page.table(
                caption: "History, oldest first", headers: ["When", "From", "To", "Detail"],
                rows: history.map { [$0.at, $0.fromStatus.map(Words.transferStatus) ?? "—", Words.transferStatus($0.toStatus), $0.detail ?? ""] })
        }
        if !decisions.isEmpty {
            page.element("h2", "Received")
            page.table(
                caption: "Your decisions on packages with this TransferId, oldest first",
                headers: ["When", "Kind", "Person id", "From", "Decision", "Reason", "Case"],
                rows: decisions.map {
                    [$0.decidedAt, $0.kind.map(Words.code) ?? "—", $0.personRef ?? "—", $0.senderCode ?? "—", $0.decision, $0.reasons, $0.caseId.map { "Case \($0)" } ?? ""]
                })
            for caseId in Set(decisions.compactMap(\.caseId)).sorted() {
                page.raw("<p><a href=\"/cases/\(caseId)\">Open case \(caseId)</a></p>")
            }
        }
        return PageFrame.page(title: "Transfer — Y2A Gateway", body: page.html, session: session)
    }
}
