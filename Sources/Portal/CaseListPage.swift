public import CaseStore

/// Renders the case list with its search form.
public struct CaseListPage {
    public var cases: [CaseSummary]
    public var query: CaseQuery

    public init(cases: [CaseSummary], query: CaseQuery) {
        self.cases = cases
        self.query = query
    }

    public func render() -> String {
        var page = HTMLBuilder()
        page.element("h1", "Cases")
        page.raw("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\">")
        page.raw("<label for=\"q\">Name, PNC or person id<input id=\"q\" name=\"q\" type=\"search\" value=\"\(escapeHTML(query.text ?? ""))\"></label>")
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
        page.element("p", "\(cases.count) case\(cases.count == 1 ? "" : "s"), newest assessment first.", attributes: "class=\"lede\"")
        guard !cases.isEmpty else {
            page.element("p", "No case matches.", attributes: "class=\"empty\"")
            return PageFrame.page(title: "Cases — Y2A Gateway", body: page.html)
        }
        page.raw("<table><caption>Cases</caption><thead><tr>")
        for header in ["Name", "Person id", "PNC", "Framework", "Stage", "Status", "Transfer", "Assessed"] {
            page.raw("<th scope=\"col\">\(header)</th>")
        }
        page.raw("</tr></thead><tbody>")
        for item in cases {
            page.raw("<tr><td><a href=\"/cases/\(item.id)\">\(escapeHTML("\(item.familyName), \(item.givenNames)"))</a></td>")
            for cell in [item.personRef ?? "—", item.pnc ?? "—", item.framework, item.stage, item.status, item.transferStatus ?? "—", item.assessedOn] {
                page.raw("<td>\(escapeHTML(cell))</td>")
            }
            page.raw("</tr>")
        }
        page.raw("</tbody></table>")
        return PageFrame.page(title: "Cases — Y2A Gateway", body: page.html)
    }
}
