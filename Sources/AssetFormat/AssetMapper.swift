public import CaseRecord
public import Findings
import XMLSupport

/// Asset.XML → case record, with the contract's mappings (asset.md).
public enum AssetMapper {
    public static func caseRecord(from document: AssetDocument, sha256: String, warnings: [Finding]) -> CaseRecord {
        let root = document.root
        let form = document.form
        let subject = document.subject
        let yot = form?.child("YOT")
        let type = form?[attribute: "type"] ?? ""
        let status = form?.text(of: "Status") ?? ""

        let source = CaseRecord.Source(
            format: .asset, documentId: form?[attribute: "reference"] ?? "",
            organisation: .init(code: yot?[attribute: "code"] ?? "", name: yot?.text ?? ""),
            sourceSystem: nil, exportedAt: form?.text(of: "ExportedAt") ?? "", sha256: sha256)

        let person = CaseRecord.Person(
            id: subject?.text(of: "Id"), pnc: subject?.text(of: "PNCNumber"), cro: nil,
            familyName: subject?.text(of: "Surname") ?? "", givenNames: subject?.text(of: "Forenames") ?? "",
            dateOfBirth: subject?.text(of: "DOB") ?? "",
            gender: ["M": "Male", "F": "Female", "U": "NotKnown"][subject?.text(of: "Sex") ?? ""] ?? "NotKnown",
            lookedAfter: subject?.text(of: "LookedAfter") == "Y" ? "Yes" : "No")

        let caseType: CaseType = type == "FinalWarning" ? .outOfCourt : (document.offences.isEmpty ? .prevention : .statutory)
        let assessment = CaseRecord.Assessment(
            stage: type, status: status, transferStatus: transferStatus(status),
            assessedOn: form?.text(of: "AssessmentDate") ?? "", caseType: caseType, countersignedBy: [])

        let total = root?.child("CoreProfile")?.text(of: "TotalScore").flatMap { Int($0) }
        let mappa = root?.child("MAPPA").map {
            CaseRecord.MAPPA(category: mappaValue($0[attribute: "category"]), level: mappaValue($0[attribute: "level"]))
        }
        let risk = CaseRecord.Risk(
            riskOfSeriousHarm: root?.child("RiskOfSeriousHarm")?[attribute: "level"] ?? "",
            likelihoodOfReoffending: total.map(likelihood),
            safetyAndWellbeing: root?.child("Vulnerability")?[attribute: "level"] ?? "",
            yogrs: nil, mappa: mappa, scaledApproach: root?.child("ScaledApproach")?[attribute: "level"],
            flags: .init())

        let needs = NeedArea.allCases.map { area -> CaseRecord.Need in
            let sections = zip(AssetDocument.sections, document.sections).filter { $0.0.area == area }.map(\.1)
            let evidence = sections.map(\.evidence).filter { !$0.isEmpty }.joined(separator: "\n")
            return .init(
                area: area, assetScore: sections.compactMap(\.score).max(),
                assetEvidence: sections.isEmpty || evidence.isEmpty ? nil : evidence,
                factorsFor: [], factorsAgainst: [])
        }

        var transition: CaseRecord.Transition?
        if let form = root?.child("TransferToAdult") {
            let formName = "Asset transfer form"
            transition = .init(
                continuingServices: form.text(of: "ServicesContinuing").map { [.init(name: formName, detail: $0, date: nil)] } ?? [],
                endingServices: form.text(of: "ServicesEnding").map { [.init(name: formName, detail: $0, date: nil)] } ?? [],
                unclearServices: [],
                specificNeeds: form.text(of: "Needs"), supervisionForms: nil, interventionsToAvoid: nil,
                changeOfSupervisor: nil, adultEnvironment: nil, transitionHelp: form.text(of: "TransitionSupport"))
        }
        let yotTransfer = root?.child("YotTransfer").flatMap { element -> CaseRecord.YotTransfer? in
            guard let receiving = element.child("ReceivingYOT") else { return nil }
            return .init(receivingYot: .init(code: receiving[attribute: "code"] ?? "", name: receiving.text), reason: element.text(of: "Reason") ?? "", caretaking: nil)
        }

        return CaseRecord(
            source: source, person: person, assessment: assessment, risk: risk, needs: needs,
            offences: document.offences.map { .init(id: $0.seq, description: $0.description, date: $0.date, status: nil, outcome: $0.outcome) },
            positiveFactors: root?.child("PositiveFactors")?.children("Factor").map(\.text) ?? [],
            plan: .init(targets: []), transition: transition, yotTransfer: yotTransfer,
            documents: [.init(fileName: Framework.asset.fileName, mediaType: "application/xml", sha256: sha256)],
            diagnostics: warnings.map { .init(code: $0.code, severity: $0.severity.rawValue, message: $0.message, line: $0.line) })
    }

    /// Likelihood of reoffending from the total score: 0–14 Low, 15–32 Medium, 33–48 High.
    static func likelihood(_ total: Int) -> String {
        switch total {
        case ..<15: "Low"
        case 15...32: "Medium"
        default: "High"
        }
    }

    static func mappaValue(_ value: String?) -> String {
        guard let value, value != "0" else { return "None" }
        return value
    }

    static func transferStatus(_ status: String) -> TransferStatus? {
        switch status {
        case "AwaitingTransfer": .awaiting
        case "Transferred": .transferred
        case "Rejected": .rejected
        default: nil
        }
    }
}
