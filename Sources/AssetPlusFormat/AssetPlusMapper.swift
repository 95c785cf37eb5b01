public import CaseRecord
public import Findings
import XMLSupport

/// AssetPlus.XML → case record. Runs on a schema- and rule-valid document.
public enum AssetPlusMapper {
    /// Maps the document. `sha256` is the digest of the source bytes; `warnings` become the
    /// record's diagnostics.
    public static func caseRecord(from document: AssetPlusDocument, sha256: String, warnings: [Finding]) -> CaseRecord {
        let root = document.root
        let header = document.header
        let stage = document.stage
        let person = document.youngPerson
        let judgements = document.judgements
        let flags = document.flags
        let organisation = header?.child("Organisation")

        let type = stage?.text(of: "Type") ?? ""
        let status = stage?.text(of: "Status") ?? ""

        let source = CaseRecord.Source(
            format: .assetPlus,
            documentId: header?.text(of: "DocumentId") ?? "",
            organisation: .init(code: organisation?[attribute: "code"] ?? "", name: organisation?.text ?? ""),
            sourceSystem: header?.text(of: "SourceSystem"),
            exportedAt: header?.text(of: "GeneratedAt") ?? "",
            sha256: sha256)

        let youngPerson = CaseRecord.Person(
            id: person?.text(of: "PersonId"), pnc: person?.text(of: "PNC"), cro: person?.text(of: "CRO"),
            familyName: person?.text(of: "FamilyName") ?? "", givenNames: person?.text(of: "GivenNames") ?? "",
            dateOfBirth: person?.text(of: "DateOfBirth") ?? "", gender: person?.text(of: "Gender") ?? "",
            lookedAfter: person?.text(of: "LookedAfter") ?? "")

        let assessment = CaseRecord.Assessment(
            stage: type, status: status, transferStatus: transferStatus(status),
            assessedOn: stage?.text(of: "CompletedOn") ?? stage?.text(of: "StartedOn") ?? "",
            caseType: caseType(stage: type, offences: document.offences),
            countersignedBy: (stage?.children("Countersignature") ?? []).map {
                .init(section: $0[attribute: "section"] ?? "", managerName: $0.text(of: "ManagerName") ?? "", signedOn: $0.text(of: "SignedOn") ?? "")
            })

        let mappa = judgements?.child("MAPPA").map {
            CaseRecord.MAPPA(category: $0[attribute: "category"] ?? "None", level: $0[attribute: "level"] ?? "None")
        }
        let risk = CaseRecord.Risk(
            riskOfSeriousHarm: judgements?.text(of: "RiskOfSeriousHarm") ?? "",
            likelihoodOfReoffending: judgements?.text(of: "LikelihoodOfReoffending"),
            safetyAndWellbeing: judgements?.text(of: "SafetyWellbeing") ?? "",
            yogrs: judgements?.text(of: "YOGRS").flatMap { Int($0) },
            mappa: mappa,
            scaledApproach: judgements?.child("ScaledApproach")?[attribute: "level"],
            flags: .init(
                gangAssociation: flags?.text(of: "GangAssociation"),
                riskToChildren: flags?.text(of: "RiskToChildren"),
                riskOfSelfHarm: flags?.text(of: "RiskOfSelfHarm"),
                staffSafety: flags?.child("StaffSafety")?[attribute: "concern"],
                previousIncidents: flags?.child("PreviousIncidents")?[attribute: "concern"],
                childProtectionPlan: flags?.text(of: "ChildProtectionPlan")))

        let needs = NeedArea.allCases.map { area in
            let factors = document.factors.filter { $0.category == area.rawValue }
            return CaseRecord.Need(
                area: area, assetScore: nil,
                factorsFor: factors.filter { $0.direction == "For" }.map { .init(text: $0.text, strength: $0.strength) },
                factorsAgainst: factors.filter { $0.direction == "Against" }.map { .init(text: $0.text, strength: $0.strength) })
        }

        let documents = [CaseRecord.Document(fileName: Framework.assetPlus.fileName, mediaType: "application/xml", sha256: sha256)]
            + document.attachedDocuments.map {
                CaseRecord.Document(fileName: $0[attribute: "fileName"] ?? "", mediaType: $0[attribute: "mediaType"] ?? "", sha256: $0[attribute: "sha256"] ?? "")
            }

        return CaseRecord(
            source: source, person: youngPerson, assessment: assessment, risk: risk, needs: needs,
            offences: document.offences.map { .init(id: $0.id, description: $0.description, date: $0.date, status: $0.status, outcome: $0.outcome) },
            incidents: document.incidents.map { .init(id: $0.id, description: $0.description, date: $0.date, status: $0.status) },
            episodes: document.episodes.map { .init(id: $0.id, kind: $0.kind, status: $0.status, members: $0.members) },
            plan: .init(targets: document.targets.map { .init(text: $0.text, keyAreas: $0.keyAreas, dueBy: $0.dueBy) }),
            transition: transition(root?.child("Modules")?.child("YouthToAdultServices")),
            yotTransfer: yotTransfer(root?.child("Modules")?.child("YotToYot")),
            documents: documents,
            diagnostics: warnings.map { .init(code: $0.code, severity: $0.severity.rawValue, message: $0.message, line: $0.line) })
    }

    static func transferStatus(_ status: String) -> TransferStatus? {
        switch status {
        case "CompletedAwaitingTransfer": .awaiting
        case "CompletedTransferred": .transferred
        case "CompletedRejected": .rejected
        default: nil
        }
    }

    /// Prevention when the stage is ReferralInPrevention, or there is no offence, or every
    /// offence has a removing outcome; else OutOfCourt for ReferralInOutOfCourt; else Statutory.
    static func caseType(stage: String, offences: [AssetPlusDocument.Offence]) -> CaseType {
        let allRemoved = offences.allSatisfy { $0.outcome.map(AssetPlusRules.removingOutcomes.contains) ?? false }
        if stage == "ReferralInPrevention" || allRemoved { return .prevention }
        if stage == "ReferralInOutOfCourt" { return .outOfCourt }
        return .statutory
    }

    static func transition(_ module: XMLElement?) -> CaseRecord.Transition? {
        guard let module else { return nil }
        return .init(
            continuingServices: module.children("ContinuingService").map { .init(name: $0[attribute: "name"] ?? "", detail: $0.text, date: nil) },
            endingServices: module.children("EndingService").map { .init(name: $0[attribute: "name"] ?? "", detail: $0.text, date: $0[attribute: "endsOn"]) },
            unclearServices: module.children("UnclearService").map { .init(name: $0[attribute: "name"] ?? "", detail: $0.text, date: nil, lead: $0[attribute: "lead"]) },
            specificNeeds: module.text(of: "SpecificNeeds"),
            supervisionForms: module.text(of: "SupervisionForms"),
            interventionsToAvoid: module.text(of: "InterventionsToAvoid"),
            changeOfSupervisor: module.text(of: "ChangeOfSupervisor"),
            adultEnvironment: module.text(of: "AdultEnvironment"),
            transitionHelp: module.text(of: "TransitionHelp"))
    }

    static func yotTransfer(_ module: XMLElement?) -> CaseRecord.YotTransfer? {
        guard let module, let receiving = module.child("ReceivingYOT") else { return nil }
        return .init(
            receivingYot: .init(code: receiving[attribute: "code"] ?? "", name: receiving.text),
            reason: module.text(of: "Reason") ?? "",
            caretaking: module.text(of: "Caretaking").map { $0 == "true" })
    }
}
