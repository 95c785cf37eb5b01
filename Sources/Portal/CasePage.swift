public import Access
public import CaseRecord

/// Renders the Y2A case page: the same sections, in the same layout, whichever framework the
/// case came from; Asset scores beside AssetPlus factors where the frameworks differ.
public struct CasePage {
    /// Another assessment of the same young person, for the history list.
    public struct RelatedCase: Sendable {
        public var title: String
        public var link: String
        public init(title: String, link: String) {
            self.title = title
            self.link = link
        }
    }

    public var record: CaseRecord
    /// Where the Documents section's source file name links to (the stored source XML).
    public var sourceLink: String?
    /// Other assessments of the same person, newest first.
    public var related: [RelatedCase]
    /// The NOCO that travelled with this case, if it came in a transfer package.
    public var noco: ReceivedNOCO?
    /// Files that came with the case in its package (NOCO.xml, attachments), with their links.
    public var packageFiles: [(fileName: String, mediaType: String, sha256: String, link: String)]
    /// The signed-in user, for the banner (nil in a standalone `y2a view` file).
    public var session: AuthenticatedSession?
    /// Where this case's transfer is prepared (an administrator's case in a transfer stage).
    public var transferLink: String?

    public init(
        record: CaseRecord, sourceLink: String? = nil, related: [RelatedCase] = [], noco: ReceivedNOCO? = nil,
        packageFiles: [(fileName: String, mediaType: String, sha256: String, link: String)] = []
    ) {
        self.record = record
        self.sourceLink = sourceLink
        self.related = related
        self.noco = noco
        self.packageFiles = packageFiles
    }

    public func render() -> String {
        var page = HTMLBuilder()
        let person = record.person
        page.element("h1", "\(person.givenNames) \(person.familyName)")
        page.raw("<p class=\"lede\">")
        page.text("\(Words.stage(record.assessment.stage)) · \(Words.status(record.assessment.status)) · assessed \(record.assessment.assessedOn) · ")
        page.raw("<span class=\"badge\">\(escapeHTML(record.source.fileName))</span></p>")
        if let transferLink {
            page.raw("<p class=\"noprint\"><a href=\"\(escapeHTML(transferLink))\">Prepare a transfer</a></p>")
        }
        riskFirst(&page)

        youngPerson(&page)
        risk(&page)
        needs(&page)
        offences(&page)
        plan(&page)
        transition(&page)
        yotTransfer(&page)
        nocoSection(&page)
        documents(&page)
        if !record.diagnostics.isEmpty {
            page.element("h2", "Warnings", attributes: "id=\"warnings\"")
            page.table(caption: "Warnings that held for this document", headers: ["Code", "Severity", "Message", "Line"],
                       rows: record.diagnostics.map { [$0.code, $0.severity, $0.message, $0.line.map(String.init) ?? ""] })
        }
        if !related.isEmpty {
            page.element("h2", "Other assessments of this young person", attributes: "id=\"history\"")
            page.raw("<ul>")
            for item in related { page.raw("<li><a href=\"\(escapeHTML(item.link))\">\(escapeHTML(item.title))</a></li>") }
            page.raw("</ul>")
        }
        return PageFrame.page(title: "\(person.familyName), \(person.givenNames) — Y2A case", body: page.html, session: session)
    }

    /// What must not be missed, above everything else: RoSH High or Very High, every flag
    /// answered Yes (a child protection plan among them), MAPPA, and a transfer-age warning.
    /// Marked by a text label as well as colour.
    public static func riskAlerts(_ record: CaseRecord) -> [String] {
        let risk = record.risk
        var alerts: [String] = []
        if ["High", "VeryHigh", "Very High"].contains(risk.riskOfSeriousHarm) {
            alerts.append("Risk of serious harm: \(Words.code(risk.riskOfSeriousHarm))")
        }
        let flags = risk.flags
        // A plan is raised when Current or Previous (the contract's values; never "Yes"), as in the NOCO.
        if let plan = flags.childProtectionPlan, flags.raised.contains("ChildProtectionPlan") {
            alerts.append("Child protection plan: \(plan)")
        }
        for (label, value) in [
            ("Risk to children", flags.riskToChildren),
            ("Risk of self-harm", flags.riskOfSelfHarm), ("Staff safety concern", flags.staffSafety),
            ("Gang association", flags.gangAssociation), ("Previous incidents concern", flags.previousIncidents),
        ] where value == "Yes" {
            alerts.append("\(label): Yes")
        }
        if let mappa = risk.mappa, ![mappa.category, mappa.level].allSatisfy({ ["", "None", "0"].contains($0) }) {
            alerts.append("MAPPA: category \(mappa.category), level \(mappa.level)")
        }
        for diagnostic in record.diagnostics where diagnostic.code.hasSuffix("TRANSFER-AGE") {
            alerts.append("Transfer age: \(diagnostic.message)")
        }
        return alerts
    }

    private func riskFirst(_ page: inout HTMLBuilder) {
        let alerts = Self.riskAlerts(record)
        guard !alerts.isEmpty else {
            page.raw("<p class=\"notice\" id=\"risk-first\">No high risk of serious harm, flag, MAPPA or transfer-age warning recorded.</p>")
            return
        }
        page.raw("<div class=\"alerts\" id=\"risk-first\" role=\"region\" aria-label=\"Risks to know first\">")
        for alert in alerts {
            page.raw("<p class=\"alert\"><strong>⚠ RISK</strong> \(escapeHTML(alert))</p>")
        }
        page.raw("</div>")
    }

    private func youngPerson(_ page: inout HTMLBuilder) {
        let person = record.person
        page.element("h2", "Young person", attributes: "id=\"person\"")
        page.facts([
            ("Family name", person.familyName), ("Given names", person.givenNames), ("Date of birth", person.dateOfBirth),
            ("Gender", person.gender), ("Looked after", person.lookedAfter), ("Person id", person.id),
            ("PNC", person.pnc), ("CRO", person.cro),
            ("Organisation", "\(record.source.organisation.name) (\(record.source.organisation.code))"),
            ("Case type", Words.code(record.assessment.caseType.rawValue)),
            ("Transfer status", record.assessment.transferStatus.map { Words.transferStatus($0.rawValue) }),
            ("Countersigned by", record.assessment.countersignedBy.isEmpty ? nil
                : record.assessment.countersignedBy.map { "\($0.managerName) (\($0.section), \($0.signedOn))" }.joined(separator: "; ")),
        ])
    }

    private func risk(_ page: inout HTMLBuilder) {
        let risk = record.risk
        page.element("h2", "Risk summary", attributes: "id=\"risk\"")
        page.facts([
            ("Risk of serious harm (RoSH)", Words.code(risk.riskOfSeriousHarm)),
            ("Likelihood of reoffending", risk.likelihoodOfReoffending.map(Words.code)),
            ("Safety and well-being", Words.code(risk.safetyAndWellbeing)),
            ("YOGRS (2-year %)", risk.yogrs.map(String.init)),
            ("MAPPA", risk.mappa.map { "category \($0.category), level \($0.level)" }),
            ("Scaled Approach", risk.scaledApproach),
        ])
        let flags = risk.flags
        page.table(caption: "Flags", headers: ["Flag", "Answer"], rows: [
            ["Gang association", flags.gangAssociation ?? "Not recorded"],
            ["Risk to children", flags.riskToChildren ?? "Not recorded"],
            ["Risk of self-harm", flags.riskOfSelfHarm ?? "Not recorded"],
            ["Staff safety concern", flags.staffSafety ?? "Not recorded"],
            ["Previous incidents concern", flags.previousIncidents ?? "Not recorded"],
            ["Child protection plan", flags.childProtectionPlan ?? "Not recorded"],
        ])
    }

    private func needs(_ page: inout HTMLBuilder) {
        page.element("h2", "Needs", attributes: "id=\"needs\"")
        func factors(_ list: [CaseRecord.Factor]) -> String {
            list.map { "\($0.text) (\($0.strength))" }.joined(separator: "\n")
        }
        page.table(
            caption: "Asset score (0–4) beside AssetPlus factors for and against desistance",
            headers: ["Area", "Asset score", "Asset evidence", "Factors for desistance", "Factors against desistance"],
            rows: record.needs.map { need in
                [need.area.title, need.assetScore.map(String.init) ?? "—", need.assetEvidence ?? "", factors(need.factorsFor), factors(need.factorsAgainst)]
            }, hideEmptyColumns: true)
        if !record.positiveFactors.isEmpty {
            page.table(caption: "Positive factors (Asset)", headers: ["Factor"], rows: record.positiveFactors.map { [$0] })
        }
    }

    private func offences(_ page: inout HTMLBuilder) {
        page.element("h2", "Offences and episodes", attributes: "id=\"offences\"")
        page.table(caption: "Offences", headers: ["Id", "Date", "Description", "Status", "Outcome"],
                   rows: record.offences.map { [$0.id ?? "", $0.date, $0.description, $0.status ?? "—", $0.outcome ?? "—"] })
        if !record.incidents.isEmpty {
            page.table(caption: "Anti-social behaviour incidents", headers: ["Id", "Date", "Description", "Status"],
                       rows: record.incidents.map { [$0.id, $0.date, $0.description, $0.status] })
        }
        if !record.episodes.isEmpty {
            page.table(caption: "Episodes", headers: ["Id", "Kind", "Status", "Members"],
                       rows: record.episodes.map { [$0.id, $0.kind, $0.status, $0.members.joined(separator: ", ")] })
        }
    }

    private func plan(_ page: inout HTMLBuilder) {
        page.element("h2", "Plan", attributes: "id=\"plan\"")
        let areas = ["GoalsAndLifeOpportunities", "NotOffending", "NotHurtingOthers", "KeepingSafe", "RepairingHarm"]
        var rows: [[String]] = []
        for area in areas {
            for target in record.plan.targets where target.keyAreas.contains(area) {
                rows.append([Words.code(area), target.text, target.dueBy ?? "—"])
            }
        }
        // A target with no key area of the five (or none at all) is still a target of the plan.
        for target in record.plan.targets where !target.keyAreas.contains(where: areas.contains) {
            rows.append([target.keyAreas.isEmpty ? "No key area" : target.keyAreas.map(Words.code).joined(separator: ", "), target.text, target.dueBy ?? "—"])
        }
        page.table(caption: "Targets by key area", headers: ["Key area", "Target", "Due by"], rows: rows)
    }

    private func transition(_ page: inout HTMLBuilder) {
        page.element("h2", "Youth to adult transition", attributes: "id=\"transition\"")
        guard let transition = record.transition else {
            page.element("p", "This document has no youth-to-adult section.", attributes: "class=\"empty\"")
            return
        }
        var rows: [[String]] = []
        func row(_ kind: String, _ service: CaseRecord.Service) -> [String] {
            [kind, service.name, service.detail + (service.lead.map { " (lead: \($0))" } ?? ""), service.date ?? "—"]
        }
        rows += transition.continuingServices.map { row("Continuing", $0) }
        rows += transition.endingServices.map { row("Ending", $0) }
        rows += transition.unclearServices.map { row("Unclear", $0) }
        page.table(caption: "Services after 18", headers: ["Service is", "Service", "Detail", "Date"], rows: rows)
        page.facts([
            ("Specific needs", transition.specificNeeds), ("Useful forms of supervision", transition.supervisionForms),
            ("Interventions to avoid", transition.interventionsToAvoid), ("Coping with a new supervisor", transition.changeOfSupervisor),
            ("Adjusting to adult offenders", transition.adultEnvironment), ("Help in the transition", transition.transitionHelp),
        ])
    }

    private func yotTransfer(_ page: inout HTMLBuilder) {
        guard let transfer = record.yotTransfer else { return }
        page.element("h2", "YOT to YOT transfer", attributes: "id=\"yot-transfer\"")
        page.facts([
            ("Receiving YOT", "\(transfer.receivingYot.name) (\(transfer.receivingYot.code))"),
            ("Reason", transfer.reason),
            ("Caretaking", transfer.caretaking.map { $0 ? "Yes" : "No" }),
        ])
    }

    private func nocoSection(_ page: inout HTMLBuilder) {
        guard let noco else { return }
        page.element("h2", "NOCO", attributes: "id=\"noco\"")
        page.raw("<p>The NOCO template that came with transfer \(escapeHTML(noco.transferId ?? "—")): <a href=\"\(escapeHTML(noco.link))\">NOCO.xml</a></p>")
        // The age on the assessment date (the contract's AgeOnTransfer), from the case record
        // itself: a NOCO made by an older sender may have taken it on another date.
        if let age = record.ageOnAssessment {
            var text = "\(age) on the assessment date \(record.assessment.assessedOn)"
            if let stated = noco.statedAge, stated != age { text += " (the NOCO says \(stated), taken on another date)" }
            page.facts([("Age on transfer", text)])
        }
        page.table(caption: "What the receiver must still do", headers: ["Action"], rows: noco.receiverActions.map { [$0] })
        page.table(caption: "Gaps the sender could not fill", headers: ["Field", "Why"], rows: noco.gaps.map { [$0.field, $0.reason] }, empty: "No gaps.")
        page.table(caption: "Raised flags", headers: ["Flag"], rows: noco.raisedFlags.map { [$0] }, empty: "No flag raised.")
    }

    private func documents(_ page: inout HTMLBuilder) {
        page.element("h2", "Documents", attributes: "id=\"documents\"")
        page.raw("<table><caption>Documents of this case</caption><thead><tr><th scope=\"col\">File name</th><th scope=\"col\">Media type</th><th scope=\"col\">SHA-256</th></tr></thead><tbody>")
        for (index, document) in record.documents.enumerated() {
            page.raw("<tr><td>")
            if index == 0, let sourceLink {
                page.raw("<a href=\"\(escapeHTML(sourceLink))\">\(escapeHTML(document.fileName))</a>")
            } else {
                page.text(document.fileName)
            }
            page.raw("</td><td>\(escapeHTML(document.mediaType))</td><td><code>\(escapeHTML(document.sha256))</code></td></tr>")
        }
        for file in packageFiles {
            page.raw("<tr><td><a href=\"\(escapeHTML(file.link))\">\(escapeHTML(file.fileName))</a></td><td>\(escapeHTML(file.mediaType))</td><td><code>\(escapeHTML(file.sha256))</code></td></tr>")
        }
        page.raw("</tbody></table>")
        page.element(
            "p", "\(record.source.format.rawValue) document exported \(record.source.exportedAt) by \(record.source.sourceSystem ?? record.source.organisation.name); document id \(record.source.documentId); case record \(record.schema).",
            attributes: "class=\"lede\"")
    }
}
