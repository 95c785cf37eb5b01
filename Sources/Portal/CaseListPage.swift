public import Access
import CaseRecord
public import CaseStore

/// Renders one page of the case list with its search form, the true total, sortable column
/// headers and next/previous links that keep the filters.
public struct CaseListPage {
    public var result: CaseListResult
    public var query: CaseListQuery
    public var session: AuthenticatedSession?

    public init(result: CaseListResult, query: CaseListQuery, session: AuthenticatedSession? = nil) {
        self.result = result
        self.query = query
        self.session = session
    }

    /// Reads the list's filters, order and page from the query string's fields.
    public static func query(from fields: [String: String]) -> CaseListQuery {
        let text = fields["q"]?.trimmingCharacters(in: .whitespaces)
        let dob = fields["dob"]?.trimmingCharacters(in: .whitespaces)
        let sort = fields["sort"].flatMap(CaseSort.init(rawValue:)) ?? .assessed
        // Names read A→Z by default; dates newest first.
        let defaultDescending = sort == .assessed
        let descending = fields["dir"].map { $0 == "desc" } ?? defaultDescending
        let page = fields["page"].flatMap { Int($0) }.map { min(max($0, 1), 1_000_000) } ?? 1
        return CaseListQuery(
            text: text?.isEmpty == false ? String(text!.prefix(200)) : nil,
            dateOfBirth: dob?.isEmpty == false ? String(dob!.prefix(10)) : nil,
            framework: fields["framework"].flatMap(Framework.init(rawValue:)),
            transferStatus: fields["status"].flatMap { $0.isEmpty ? nil : String($0.prefix(20)) },
            sort: sort, descending: descending, page: page, pageSize: 50)
    }

    /// The query string for `query` with changes (filters kept).
    static func link(_ query: CaseListQuery, page: Int? = nil, sort: CaseSort? = nil, descending: Bool? = nil) -> String {
        var fields: [(String, String)] = []
        if let text = query.text { fields.append(("q", text)) }
        if let dob = query.dateOfBirth { fields.append(("dob", dob)) }
        if let framework = query.framework { fields.append(("framework", framework.rawValue)) }
        if let status = query.transferStatus { fields.append(("status", status)) }
        fields.append(("sort", (sort ?? query.sort).rawValue))
        fields.append(("dir", (descending ?? query.descending) ? "desc" : "asc"))
        let page = page ?? query.page
        if page > 1 { fields.append(("page", String(page))) }
        return "/?" + fields.map { "\($0.0)=\(FormFields.encode($0.1))" }.joined(separator: "&amp;")
    }

    public func render() -> String {
        var page = HTMLBuilder()
        page.element("h1", "Cases")
        page.raw("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">")
        page.raw("<label for=\"q\">Name, PNC or person id<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"200\" value=\"\(escapeHTML(query.text ?? ""))\"></label>")
        page.raw("<label for=\"dob\">Date of birth<input id=\"dob\" name=\"dob\" type=\"date\" value=\"\(escapeHTML(query.dateOfBirth ?? ""))\"></label>")
        page.raw("<label for=\"framework\">Framework<select id=\"framework\" name=\"framework\">")
        for (value, label) in [("", "Any"), ("Asset", "Asset"), ("AssetPlus", "AssetPlus")] {
            let selected = (query.framework?.rawValue ?? "") == value ? " selected" : ""
            page.raw("<option value=\"\(value)\"\(selected)>\(label)</option>")
        }
        page.raw("</select></label><label for=\"status\">Transfer status<select id=\"status\" name=\"status\">")
        for (value, label) in [("", "Any"), ("awaiting", "Awaiting"), ("transferred", "Transferred"), ("rejected", "Rejected"), ("accepted", "Accepted"), ("none", "Not in transfer")] {
            let selected = (query.transferStatus ?? "") == value ? " selected" : ""
            page.raw("<option value=\"\(value)\"\(selected)>\(label)</option>")
        }
        page.raw("</select></label><button type=\"submit\">Search</button></form>")
        let total = result.total
        let pages = max(1, (total + query.pageSize - 1) / query.pageSize)
        let first = total == 0 ? 0 : (query.page - 1) * query.pageSize + 1
        let last = (query.page - 1) * query.pageSize + result.cases.count
        let summary = total == 0
            ? "0 cases"
            : "\(total) case\(total == 1 ? "" : "s"); showing \(first)–\(last), page \(query.page) of \(pages)"
        page.raw("<p class=\"lede\" id=\"total\" role=\"status\">\(escapeHTML(summary))</p>")
        guard !result.cases.isEmpty else {
            page.element("p", total == 0 ? "No case matches." : "No case on this page.", attributes: "class=\"empty\"")
            pager(&page, pages: pages)
            return PageFrame.page(title: "Cases — Y2A Gateway", body: page.html, session: session)
        }
        page.raw("<table><caption>Cases</caption><thead><tr>")
        let sortable: [String: CaseSort] = ["Name": .name, "Stage": .stage, "Transfer": .status, "Assessed": .assessed]
        for header in ["Name", "Person id", "PNC", "Framework", "Stage", "Status", "Transfer", "Assessed"] {
            if let sort = sortable[header] {
                let current = query.sort == sort
                let nextDescending = current ? !query.descending : sort == .assessed
                let marker = current ? (query.descending ? " ▼" : " ▲") : ""
                let ariaSort = current ? " aria-sort=\"\(query.descending ? "descending" : "ascending")\"" : ""
                page.raw("<th scope=\"col\"\(ariaSort)><a href=\"\(Self.link(query, page: 1, sort: sort, descending: nextDescending))\">\(header)\(marker)</a></th>")
            } else {
                page.raw("<th scope=\"col\">\(header)</th>")
            }
        }
        page.raw("</tr></thead><tbody>")
        for item in result.cases {
            page.raw("<tr><td><a href=\"/cases/\(item.id)\">\(escapeHTML("\(item.familyName), \(item.givenNames)"))</a></td>")
            let cells = [
                item.personRef ?? "—", item.pnc ?? "—", item.framework, Words.stage(item.stage), Words.status(item.status),
                item.transferStatus.map(Words.transferStatus) ?? "—", item.assessedOn,
            ]
            for cell in cells { page.raw("<td>\(escapeHTML(cell))</td>") }
            page.raw("</tr>")
        }
        page.raw("</tbody></table>")
        pager(&page, pages: pages)
        return PageFrame.page(title: "Cases — Y2A Gateway", body: page.html, session: session)
    }

    private func pager(_ page: inout HTMLBuilder, pages: Int) {
        page.raw("<nav class=\"pager\" aria-label=\"Pages\">")
        if query.page > 1 {
            page.raw("<a rel=\"prev\" href=\"\(Self.link(query, page: min(query.page - 1, pages)))\">← Previous</a>")
        }
        if query.page < pages {
            page.raw("<a rel=\"next\" href=\"\(Self.link(query, page: query.page + 1))\">Next →</a>")
        }
        page.raw("</nav>")
    }
}
