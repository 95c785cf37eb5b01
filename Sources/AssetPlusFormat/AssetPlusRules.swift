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
        var findings: [Finding] = []
        findings += idWhitespace(document)
        findings += memberReferences(document)
        // A dangling reference is a schema error: the rules below assume references resolve.
        if !findings.isEmpty { return findings }
        findings += stageModules(document)
        findings += episodes(document)
        findings += removedOutcomes(document)
        findings += prevention(document)
        findings += completion(document)
        findings += countersignatures(document)
        findings += dates(document)
        findings += transferAge(document)
        return findings
    }

    // MARK: XSD (what XSD 1.0 cannot say)

    /// Ids are coded values and carry no surrounding whitespace, but `xs:ID` collapses it before
    /// checking; so the schema's code, checked here.
    func idWhitespace(_ document: AssetPlusDocument) -> [Finding] {
        func space(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        func padded(_ id: String) -> Bool { space(id.utf8.first) || space(id.utf8.last) }
        var findings: [Finding] = []
        for offence in document.offences where padded(offence.id) {
            findings.append(Finding(code: "XSD", message: "an Offence id has surrounding whitespace; ids are coded values", line: offence.line, path: "/AssetPlus/CoreRecord/Offences/Offence"))
        }
        for incident in document.incidents where padded(incident.id) {
            findings.append(Finding(code: "XSD", message: "an Incident id has surrounding whitespace; ids are coded values", line: incident.line, path: "/AssetPlus/CoreRecord/Incidents/Incident"))
        }
        for episode in document.episodes where padded(episode.id) || episode.members.contains(where: padded) {
            findings.append(Finding(code: "XSD", message: "an Episode id or Member ref has surrounding whitespace; ids are coded values", line: episode.line, path: "/AssetPlus/CoreRecord/Episodes/Episode"))
        }
        return findings
    }

    /// Every Member/@ref names an Offence, Incident or Episode id: the xs:IDREF check that
    /// libxml2 2.9.14 does not make (and an xs:keyref would make too slowly on large files).
    func memberReferences(_ document: AssetPlusDocument) -> [Finding] {
        // Whitespace around an id is reported on its own (idWhitespace); compare what xs:ID compares.
        func trimmed(_ id: String) -> String {
            func space(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            guard space(id.utf8.first) || space(id.utf8.last) else { return id }
            return id.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var findings: [Finding] = []
        var ids = Set<String>()
        let all = document.offences.map { ($0.id, $0.line, "Offence") } + document.incidents.map { ($0.id, $0.line, "Incident") }
            + document.episodes.map { ($0.id, $0.line, "Episode") }
        for (id, line, kind) in all where !ids.insert(trimmed(id)).inserted {
            findings.append(Finding(code: "XSD", message: "the \(kind) id \(trimmed(id)) is already used; Offence, Incident and Episode ids share one id space and are unique", line: line, path: "/AssetPlus/CoreRecord"))
        }
        for episode in document.episodes {
            for member in episode.members where !ids.contains(trimmed(member)) {
                findings.append(Finding(code: "XSD", message: "Member ref \(member) of episode \(episode.id) does not name an Offence, Incident or Episode id", line: episode.line, path: "/AssetPlus/CoreRecord/Episodes/Episode/Member"))
            }
        }
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

    // MARK: AP-EPISODE-MIX, AP-EPISODE-OUTSTANDING

    func episodes(_ document: AssetPlusDocument) -> [Finding] {
        let offences = Dictionary(document.offences.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let incidents = Set(document.incidents.map(\.id))
        let episodeIds = Set(document.episodes.map(\.id))
        var findings: [Finding] = []
        let path = "/AssetPlus/CoreRecord/Episodes/Episode"
        for episode in document.episodes {
            for member in episode.members {
                if episodeIds.contains(member) {
                    findings.append(Finding(code: "AP-EPISODE-MIX", message: "episode \(episode.id) has another episode (\(member)) as a member; members are offences or incidents", line: episode.line, path: path))
                } else if episode.kind == "Offending", incidents.contains(member) {
                    findings.append(Finding(code: "AP-EPISODE-MIX", message: "Offending episode \(episode.id) has incident \(member) as a member; an episode never mixes offences and incidents", line: episode.line, path: path))
                } else if episode.kind == "AntiSocialBehaviour", offences[member] != nil {
                    findings.append(Finding(code: "AP-EPISODE-MIX", message: "AntiSocialBehaviour episode \(episode.id) has offence \(member) as a member; an episode never mixes offences and incidents", line: episode.line, path: path))
                }
                if let offence = offences[member], offence.status == "Outstanding" {
                    findings.append(Finding(code: "AP-EPISODE-OUTSTANDING", message: "offence \(member) is Outstanding (not yet proven) but is a member of episode \(episode.id)", line: episode.line, path: path))
                }
            }
        }
        return findings
    }

    // MARK: AP-REMOVED-OUTCOME

    func removedOutcomes(_ document: AssetPlusDocument) -> [Finding] {
        let members = Set(document.episodes.flatMap(\.members))
        var findings: [Finding] = []
        for offence in document.offences {
            guard let outcome = offence.outcome, Self.removingOutcomes.contains(outcome) else { continue }
            let path = "/AssetPlus/CoreRecord/Offences/Offence"
            if offence.status == "Outstanding" || offence.status == "Current" {
                findings.append(Finding(code: "AP-REMOVED-OUTCOME", message: "offence \(offence.id) has the outcome \(outcome), which removes it from assessment, but its status is \(offence.status) (it must be Historical)", line: offence.line, path: path))
            }
            if members.contains(offence.id) {
                findings.append(Finding(code: "AP-REMOVED-OUTCOME", message: "offence \(offence.id) has the outcome \(outcome), which removes it from assessment, but it is in an episode", line: offence.line, path: path))
            }
        }
        return findings
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
        for offence in document.offences {
            late(offence.date, offence.line, "OffenceDate of offence \(offence.id)", "/AssetPlus/CoreRecord/Offences/Offence/OffenceDate")
        }
        for incident in document.incidents {
            late(incident.date, incident.line, "IncidentDate of incident \(incident.id)", "/AssetPlus/CoreRecord/Incidents/Incident/IncidentDate")
        }
        for event in document.lifeEvents {
            late(event.date, event.line, "a SignificantLifeEvent date", "/AssetPlus/InformationGathering/SignificantLifeEvent")
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
