import Access
import CaseStore
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

extension PortalServer {
    static func addAuditRoutes(_ router: Router<PortalContext>, access: AccessService) {
        router.get("/audit") { request, context -> Response in
            let caller = try context.caller(may: .readAudit, .organisation(context.session?.caller.organisation ?? ""))
            let (query, fields) = auditQuery(request, caller: caller, limit: 1000)
            let events = try await access.audit.auditEvents(query)
            try await access.audit.append(AuditEvent(caller, .viewAudit, detail: "\(events.count) events"))
            return Pages.html(AuditPage(events: events, fields: fields, session: context.session).render())
        }
        router.get("/audit.csv") { request, context -> Response in
            let caller = try context.caller(may: .readAudit, .organisation(context.session?.caller.organisation ?? ""))
            let (query, _) = auditQuery(request, caller: caller, limit: 1_000_000)
            let events = try await access.audit.auditEvents(query)
            try await access.audit.append(AuditEvent(caller, .exportAudit, detail: "\(events.count) events"))
            let headers: HTTPFields = [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"audit-\(caller.organisation).csv\""]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: AuditExport.csv(events))))
        }
    }

    /// The auditor's filters; always limited to their own organisation's events.
    static func auditQuery(_ request: Request, caller: Caller, limit: Int) -> (AuditQuery, [String: String]) {
        let fields = FormFields.parse(Substring(request.uri.query ?? ""))
        let user = fields["user"].flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
        let query = AuditQuery(
            since: fields["since"].flatMap(AuditExport.since), actor: user, caseId: fields["case"].flatMap { Int64($0) },
            organisation: caller.organisation, limit: limit)
        return (query, fields)
    }
}

/// The auditor's page: filters, the events, and a CSV export of the same filters.
struct AuditPage {
    var events: [AuditEvent]
    var fields: [String: String]
    var session: AuthenticatedSession?

    func render() -> String {
        var page = HTMLBuilder()
        page.element("h1", "Audit trail")
        page.raw("<form class=\"search\" method=\"get\" action=\"/audit\">")
        for (name, label, type) in [("since", "Since", "date"), ("user", "User", "text"), ("case", "Case id", "text")] {
            page.raw("<label for=\"\(name)\">\(label)<input id=\"\(name)\" name=\"\(name)\" type=\"\(type)\" maxlength=\"64\" value=\"\(escapeHTML(fields[name] ?? ""))\"></label>")
        }
        page.raw("<button type=\"submit\">Filter</button></form>")
        let query = ["since", "user", "case"].compactMap { name in fields[name].map { "\(name)=\(FormFields.encode($0))" } }.joined(separator: "&amp;")
        page.raw("<p class=\"lede\">\(events.count) event\(events.count == 1 ? "" : "s"), oldest first. <a href=\"/audit.csv?\(query)\">Download as CSV</a></p>")
        page.table(
            caption: "Audit events", headers: ["When", "Who", "Action", "Case", "Transfer", "Address", "Outcome", "Detail"],
            rows: events.map { [$0.at, $0.actor, $0.action, $0.caseId.map(String.init) ?? "", $0.transferId ?? "", $0.address ?? "", $0.outcome, $0.detail ?? ""] },
            empty: "No event matches.")
        return PageFrame.page(title: "Audit trail — Y2A Gateway", body: page.html, session: session)
    }
}
