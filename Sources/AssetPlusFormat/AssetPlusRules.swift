public import Findings
import Foundation
import CaseRecord
import XMLSupport

/// The AssetPlus rules beyond the schema (`AP-*`), run once the document is schema-valid.
/// Messages name elements, ids and codes, never a value from the document.
public struct AssetPlusRules: Sendable {
    public var policy: CountersignPolicy

    public init(policy: CountersignPolicy = .contractDefault) {
        self.policy = policy
    }

    /// Outcomes that remove an offence from assessment (seed 003).
    public static let removingOutcomes: Set<String> = [
        "Withdrawn", "Acquitted", "Dismissed", "NotGuilty", "NotProved", "NotAppropriate", "Abandoned", "Discontinued", "NFA",
    ]

    /// The `OtherModule` names each stage type triggers (table 3; "only if" cases left out).
    static let requiredOtherModules: [String: [String]] = [
        "PlacementNotification": ["Custody"],
        "BailRecommendation": ["BailAndRemand", "Custody"],
        "PreSentenceReport": ["PreSentenceReport"],
        "PreSentenceReportAllOptions": ["PreSentenceReport", "Custody"],
        "PostCourtReport": ["BailAndRemand", "Custody"],
        "ReferralOrderReport": ["ReferralOrderReport"],
        "PreRelease": ["LeavingCustody"],
        "EnteringCustody": ["Custody"],
    ]

    public func check(_ document: AssetPlusDocument) -> [Finding] {
        // The item rules ran while the document streamed past; settle the members that named
        // an id not seen by then (a later episode, or nothing at all).
        var items = document.itemFindings
        var settled = document
        var itemRules = AssetPlusItemRules()
        for (episode, member) in document.pendingMembers {
            let id = AssetPlusItemRules.trimmed(member)
            if let info = document.ids[id] {
                settled.itemFindings = []
                itemRules.check(member: id, info, of: episode, into: &settled)
                items += settled.itemFindings
            } else {
                items.append(Finding(code: "XSD", message: "Member ref \(id) of episode \(AssetPlusItemRules.trimmed(episode.id)) does not name an Offence, Incident or Episode id", line: episode.line, path: "/AssetPlus/CoreRecord/Episodes/Episode/Member"))
            }
        }
        // What XSD 1.0 could not say is a schema error: the framework rules assume a schema-valid document.
        let schemaFindings = items.filter { $0.code == "XSD" }
        if !schemaFindings.isEmpty { return schemaFindings }
        var findings = items
        findings += stageModules(document)
        findings += prevention(document)
        findings += completion(document)
        findings += countersignatures(document)
        findings += dates(document)
        findings += transferAge(document)
        return findings
    }

    // MARK: AP-STAGE-MODULE

    func stageModules(_ document: AssetPlusDocument) -> [Finding] {
        guard let stage = document.stage, let type = stage.text(of: "Type") else { return [] }
        let line = stage.child("Type")?.line
        let modules = document.modules
        switch type {
        case "TransferToProbation":
            guard modules?.child("YouthToAdultServices") == nil else { return [] }
            return [Finding(code: "AP-STAGE-MODULE", message: "a TransferToProbation stage needs the Modules/YouthToAdultServices module", line: line, path: "/AssetPlus/Stage/Type")]
        case "TransferYotToYot":
            guard modules?.child("YotToYot") == nil else { return [] }
            return [Finding(code: "AP-STAGE-MODULE", message: "a TransferYotToYot stage needs the Modules/YotToYot module", line: line, path: "/AssetPlus/Stage/Type")]
        default:
            let present = Set(modules?.children("OtherModule").compactMap { $0[attribute: "name"] } ?? [])
            return (Self.requiredOtherModules[type] ?? []).filter { !present.contains($0) }.map {
                Finding(code: "AP-STAGE-MODULE", message: "a \(type) stage needs an OtherModule named \($0)", line: line, path: "/AssetPlus/Stage/Type")
            }
        }
    }

    // MARK: AP-PREVENTION

    func prevention(_ document: AssetPlusDocument) -> [Finding] {
        guard let type = document.stage?.text(of: "Type") else { return [] }
        let judgements = document.judgements
        var findings: [Finding] = []
        if type == "ReferralInPrevention", let yogrs = judgements?.child("YOGRS") {
            findings.append(Finding(code: "AP-PREVENTION", message: "a ReferralInPrevention stage has no YOGRS score; remove it", line: yogrs.line, path: "/AssetPlus/ExplanationsConclusions/Judgements/YOGRS"))
        }
        if type == "ReferralInPrevention" || type == "ReferralInOutOfCourt", let scaled = judgements?.child("ScaledApproach") {
            findings.append(Finding(code: "AP-PREVENTION", message: "a \(type) stage has no Scaled Approach level; remove ScaledApproach", line: scaled.line, path: "/AssetPlus/ExplanationsConclusions/Judgements/ScaledApproach"))
        }
        return findings
    }

    // MARK: AP-COMPLETED-DATE, AP-REASON

    func completion(_ document: AssetPlusDocument) -> [Finding] {
        guard let stage = document.stage, let status = stage.text(of: "Status") else { return [] }
        var findings: [Finding] = []
        let completed = stage.child("CompletedOn")
        if status != "InProgress", completed == nil {
            findings.append(Finding(code: "AP-COMPLETED-DATE", message: "a stage with status \(status) needs CompletedOn (the date it was completed, stopped or cancelled)", line: stage.child("Status")?.line, path: "/AssetPlus/Stage/Status"))
        }
        if let completed, let end = CalendarDate(completed.text), let start = stage.text(of: "StartedOn").flatMap(CalendarDate.init), end < start {
            findings.append(Finding(code: "AP-COMPLETED-DATE", message: "CompletedOn is before StartedOn", line: completed.line, path: "/AssetPlus/Stage/CompletedOn"))
        }
        if status == "Stopped" || status == "Cancelled", stage.child("Reason") == nil {
            findings.append(Finding(code: "AP-REASON", message: "a \(status) stage needs a Reason saying why", line: stage.child("Status")?.line, path: "/AssetPlus/Stage/Status"))
        }
        return findings
    }

    // MARK: AP-COUNTERSIGN

    /// The triggers that hold for this document, in words (no values beyond the codes themselves).
    func countersignTriggers(_ document: AssetPlusDocument) -> [String] {
        let judgements = document.judgements
        var triggers: [String] = []
        if let rosh = judgements?.text(of: "RiskOfSeriousHarm"), policy.riskOfSeriousHarm.contains(rosh) { triggers.append("RoSH is \(rosh)") }
        if let safety = judgements?.text(of: "SafetyWellbeing"), policy.safetyWellbeing.contains(safety) { triggers.append("safety and well-being is \(safety)") }
        if policy.mappaCategoryNotNone, let category = judgements?.child("MAPPA")?[attribute: "category"], category != "None" { triggers.append("MAPPA category is \(category)") }
        if let plan = document.flags?.text(of: "ChildProtectionPlan"), policy.childProtectionPlan.contains(plan) { triggers.append("child protection plan is \(plan)") }
        if policy.likelihoodOverride, let indicative = judgements?.text(of: "IndicativeLoR"), let final = judgements?.text(of: "LikelihoodOfReoffending"), indicative != final {
            triggers.append("likelihood of reoffending differs from the indicative one")
        }
        return triggers
    }

    func countersignatures(_ document: AssetPlusDocument) -> [Finding] {
        guard let stage = document.stage, let status = stage.text(of: "Status"), status.hasPrefix("Completed") else { return [] }
        let triggers = countersignTriggers(document)
        let override = policy.scaledApproachOverride && document.judgements?.child("ScaledApproach")?[attribute: "override"] == "true"
        let signed = Set(stage.children("Countersignature").compactMap { $0[attribute: "section"] })
        var findings: [Finding] = []
        let line = stage.child("Status")?.line
        if !triggers.isEmpty, !signed.contains("ExplanationsConclusions") {
            findings.append(Finding(code: "AP-COUNTERSIGN", message: "a completed stage needs an ExplanationsConclusions countersignature because \(triggers.joined(separator: ", "))", line: line, path: "/AssetPlus/Stage"))
        }
        if !triggers.isEmpty || override, !signed.contains("PathwaysPlanning") {
            let why = triggers.isEmpty ? "the Scaled Approach level was overridden" : "ExplanationsConclusions needed one"
            findings.append(Finding(code: "AP-COUNTERSIGN", message: "a completed stage needs a PathwaysPlanning countersignature because \(why)", line: line, path: "/AssetPlus/Stage"))
        }
        return findings
    }

    // MARK: AP-DATES

    func dates(_ document: AssetPlusDocument) -> [Finding] {
        var findings: [Finding] = []
        let stage = document.stage
        let started = stage?.text(of: "StartedOn").flatMap(CalendarDate.init)
        if let birthElement = document.youngPerson?.child("DateOfBirth"), let birth = CalendarDate(birthElement.text), let started, !(birth < started) {
            findings.append(Finding(code: "AP-DATES", message: "DateOfBirth is not before the stage's StartedOn", line: birthElement.line, path: "/AssetPlus/YoungPerson/DateOfBirth"))
        }
        guard let generated = document.header?.text(of: "GeneratedAt").flatMap(CalendarDate.init) else { return findings }
        func late(_ text: String?, _ line: Int?, _ what: String, _ path: String) {
            if let text, let date = CalendarDate(text), generated < date {
                findings.append(Finding(code: "AP-DATES", message: "\(what) is after the date the document was generated (GeneratedAt)", line: line, path: path))
            }
        }
        for name in ["StartedOn", "CompletedOn"] {
            late(stage?.text(of: name), stage?.child(name)?.line, name, "/AssetPlus/Stage/\(name)")
        }
        for signature in stage?.children("Countersignature") ?? [] {
            late(signature.text(of: "SignedOn"), signature.child("SignedOn")?.line, "a countersignature's SignedOn", "/AssetPlus/Stage/Countersignature/SignedOn")
        }
        return findings
    }

    // MARK: AP-TRANSFER-AGE

    func transferAge(_ document: AssetPlusDocument) -> [Finding] {
        guard let stage = document.stage, stage.text(of: "Type") == "TransferToProbation",
              let started = stage.text(of: "StartedOn").flatMap(CalendarDate.init),
              let birth = document.youngPerson?.text(of: "DateOfBirth").flatMap(CalendarDate.init),
              birth < started, started.age(bornOn: birth) < 17
        else { return [] }
        return [Finding(code: "AP-TRANSFER-AGE", severity: .warning, message: "the young person is under 17 at the start of this TransferToProbation stage; check the transfer is due", line: stage.child("StartedOn")?.line, path: "/AssetPlus/Stage/StartedOn")]
    }
}
