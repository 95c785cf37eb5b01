import Access
import CaseRecord
import NOCO

/// Preparing a transfer of one case: the kind and the recipient, then (YouthToAdult) each gap of
/// the generated NOCO as a form field with what is wrong with its value, the receiver actions
/// beside them, a preview of NOCO.html and the send button. Values typed are shown back escaped.
struct TransferPreparePage {
    /// A recipient the form offers.
    struct Recipient: Hashable {
        var code: String
        var name: String
    }

    /// The form's value for "an organisation that is not on this hub".
    static let elsewhere = "elsewhere"

    var caseId: Int64
    /// Person id, framework and stage: what says which case it is, never a name.
    var caseTitle: String
    var kind: TransferKind
    var recipients: [Recipient]
    /// The chosen recipient's code, `elsewhere`, or nil before a choice.
    var to: String?
    var elsewhereCode = ""
    var elsewhereName = ""
    var offersElsewhere: Bool
    var completion = NOCOCompletion()
    /// The gaps the generator left and the receiver actions (YouthToAdult; nil otherwise).
    var gaps: [NOCODocument.Gap]?
    var receiverActions: [NOCODocument.ReceiverAction] = []
    var problems: [NOCOCompletion.Problem] = []
    /// Why the transfer cannot go (the builder's refusal, a case that is not in a transfer stage).
    var refusal: [String] = []
    var notice: String?
    /// The rejected transfer this one re-sends.
    var resends: String?
    /// False when the case cannot be transferred at all (no form).
    var canSend = true
    var session: AuthenticatedSession?

    func render() -> String {
        var page = HTMLBuilder()
        page.element("h1", "Prepare a transfer")
        page.raw("<p class=\"lede\"><a href=\"/cases/\(caseId)\">Case \(caseId)</a>: \(escapeHTML(caseTitle))</p>")
        if let resends {
            page.raw("<div class=\"notice\" role=\"status\">Re-sending rejected transfer <a href=\"/transfers/\(escapeHTML(resends))\">\(escapeHTML(resends))</a> as a new package with a new TransferId.</div>")
        }
        if let notice { page.raw("<div class=\"notice\" role=\"status\">\(escapeHTML(notice))</div>") }
        if !refusal.isEmpty || !problems.isEmpty {
            page.raw("<div class=\"alert\" role=\"alert\"><strong>!</strong> ")
            page.raw((refusal + problems.map(\.message)).map(escapeHTML).joined(separator: "<br>"))
            page.raw("</div>")
        }
        guard canSend else { return PageFrame.page(title: "Prepare a transfer — Y2A Gateway", body: page.html, session: session) }
        let csrf = "<input type=\"hidden\" name=\"csrf\" value=\"\(escapeHTML(session?.csrfToken ?? ""))\">"

        // Step 1: kind and recipient (a GET form: choosing changes nothing).
        page.raw("<form class=\"search\" method=\"get\" action=\"/cases/\(caseId)/transfer\">")
        if let resends { page.raw("<input type=\"hidden\" name=\"resends\" value=\"\(escapeHTML(resends))\">") }
        page.raw("<label for=\"kind\">Kind<select id=\"kind\" name=\"kind\">")
        for option in [TransferKind.youthToAdult, .yotToYot] {
            page.raw("<option value=\"\(option.rawValue)\"\(option == kind ? " selected" : "")>\(escapeHTML(Words.code(option.rawValue)))</option>")
        }
        page.raw("</select></label><label for=\"to\">Recipient<select id=\"to\" name=\"to\"><option value=\"\">Choose…</option>")
        for recipient in recipients {
            page.raw("<option value=\"\(escapeHTML(recipient.code))\"\(to == recipient.code ? " selected" : "")>\(escapeHTML("\(recipient.code) \(recipient.name)"))</option>")
        }
        if offersElsewhere {
            page.raw("<option value=\"\(Self.elsewhere)\"\(to == Self.elsewhere ? " selected" : "")>Not on this hub (drop folder)</option>")
        }
        page.raw("</select></label><button type=\"submit\">Choose</button></form>")
        guard let to, !to.isEmpty else { return PageFrame.page(title: "Prepare a transfer — Y2A Gateway", body: page.html, session: session) }

        // Step 2: the NOCO's gaps, then check, preview or send (all POST, with the token).
        page.raw("<form method=\"post\" action=\"/cases/\(caseId)/transfer\">\(csrf)")
        page.raw("<input type=\"hidden\" name=\"kind\" value=\"\(kind.rawValue)\"><input type=\"hidden\" name=\"to\" value=\"\(escapeHTML(to))\">")
        if let resends { page.raw("<input type=\"hidden\" name=\"resends\" value=\"\(escapeHTML(resends))\">") }
        if to == Self.elsewhere {
            page.raw("<div class=\"fields\">")
            textField("toCode", "Recipient's code (3 to 8 capital letters or digits)", elsewhereCode, into: &page, maxLength: 8)
            textField("toName", "Recipient's name", elsewhereName, into: &page, maxLength: 200)
            page.raw("</div>")
        }
        if let gaps {
            page.raw("<div class=\"columns\"><div class=\"fields\"><h2>NOCO: fields to complete</h2>")
            if gaps.isEmpty { page.element("p", "The case record fills every field of the NOCO.", attributes: "class=\"empty\"") }
            // One set of fields per gap field (two current offences without an outcome are one field).
            var fields: [String] = []
            for gap in gaps where !fields.contains(gap.field) { fields.append(gap.field) }
            for field in fields {
                page.raw("<h3>\(escapeHTML(Words.code(field)))</h3>")
                for gap in gaps where gap.field == field { page.element("p", gap.reason, attributes: "class=\"lede\"") }
                switch field {
                case "LikelihoodOfReoffending":
                    select("likelihoodOfReoffending", "Likelihood of reoffending", NOCOCompletion.likelihoods, completion.likelihoodOfReoffending, into: &page)
                case "YOGRS":
                    textField("yogrs", "YOGRS (0 to 100)", completion.yogrs ?? "", into: &page, maxLength: 3, inputMode: "numeric")
                case "MAPPA":
                    select("mappaCategory", "MAPPA category", NOCOCompletion.mappaValues, completion.mappaCategory, into: &page)
                    select("mappaLevel", "MAPPA level", NOCOCompletion.mappaValues, completion.mappaLevel, into: &page)
                case "CurrentDisposal":
                    textArea("currentDisposal", "Current disposal, with the offence", completion.currentDisposal, into: &page)
                case "Transition":
                    textArea("specificNeeds", "Specific needs", completion.specificNeeds, into: &page)
                    textArea("transitionHelp", "Help with the transition", completion.transitionHelp, into: &page)
                default:
                    break
                }
            }
            page.raw("<h3>Contact at \(escapeHTML(session?.caller.organisation ?? ""))</h3>")
            textField("contactName", "Name", completion.contactName ?? "", into: &page, maxLength: 200)
            textField("contactPhone", "Phone", completion.contactPhone ?? "", into: &page, maxLength: 200, inputMode: "tel")
            textField("contactEmail", "E-mail", completion.contactEmail ?? "", into: &page, maxLength: 200, inputMode: "email")
            page.raw("</div><div><h2>What the receiver must still do</h2>")
            if receiverActions.isEmpty {
                page.element("p", "Nothing beyond the usual.", attributes: "class=\"empty\"")
            } else {
                page.raw("<ul>")
                for action in receiverActions { page.raw("<li>\(escapeHTML(action.text))</li>") }
                page.raw("</ul>")
            }
            page.raw("</div></div>")
        }
        page.raw("<p class=\"pager\"><button type=\"submit\" name=\"do\" value=\"check\">Check</button>")
        if gaps != nil {
            page.raw("<button type=\"submit\" formaction=\"/cases/\(caseId)/transfer/preview\" formtarget=\"_blank\">Preview NOCO.html</button>")
        }
        page.raw("<button type=\"submit\" name=\"do\" value=\"send\">Send</button></p></form>")
        return PageFrame.page(title: "Prepare a transfer — Y2A Gateway", body: page.html, session: session)
    }

    private func invalid(_ field: String) -> String {
        problems.contains { $0.field == field } ? " aria-invalid=\"true\"" : ""
    }

    private func textField(_ name: String, _ label: String, _ value: String, into page: inout HTMLBuilder, maxLength: Int, inputMode: String? = nil) {
        let mode = inputMode.map { " inputmode=\"\($0)\"" } ?? ""
        page.raw("<label for=\"\(name)\">\(escapeHTML(label))<input id=\"\(name)\" name=\"\(name)\" value=\"\(escapeHTML(value))\" maxlength=\"\(maxLength)\"\(mode)\(invalid(name))></label>")
    }

    private func textArea(_ name: String, _ label: String, _ value: String?, into page: inout HTMLBuilder) {
        page.raw("<label for=\"\(name)\">\(escapeHTML(label))<textarea id=\"\(name)\" name=\"\(name)\" rows=\"3\" maxlength=\"\(NOCOGenerator.maxText)\"\(invalid(name))>\(escapeHTML(value ?? ""))</textarea></label>")
    }

    private func select(_ name: String, _ label: String, _ options: [String], _ value: String?, into page: inout HTMLBuilder) {
        page.raw("<label for=\"\(name)\">\(escapeHTML(label))<select id=\"\(name)\" name=\"\(name)\"\(invalid(name))><option value=\"\">Not known</option>")
        for option in options {
            page.raw("<option value=\"\(escapeHTML(option))\"\(value == option ? " selected" : "")>\(escapeHTML(option))</option>")
        }
        page.raw("</select></label>")
    }
}
