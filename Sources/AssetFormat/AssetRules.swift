public import Findings
import CaseRecord

/// The Asset rules beyond the schema (`AS-*`), run once the document is schema-valid.
public enum AssetRules {
    public static func check(_ document: AssetDocument) -> [Finding] {
        total(document) + sections(document) + formTransfer(document) + dates(document) + transferAge(document)
    }

    static func total(_ document: AssetDocument) -> [Finding] {
        guard let totalElement = document.root?.child("CoreProfile")?.child("TotalScore"), let total = Int(totalElement.text) else { return [] }
        let sum = document.sections.compactMap(\.score).reduce(0, +)
        guard sum != total else { return [] }
        return [Finding(code: "AS-TOTAL", message: "TotalScore is \(total) but the 12 section scores add up to \(sum)", line: totalElement.line, path: "/Asset/CoreProfile/TotalScore")]
    }

    static func sections(_ document: AssetDocument) -> [Finding] {
        var findings: [Finding] = []
        for (index, section) in document.sections.enumerated() where index < AssetDocument.sections.count {
            let expected = AssetDocument.sections[index]
            if section.number != index + 1 || section.name != expected.name {
                findings.append(Finding(
                    code: "AS-SECTIONS",
                    message: "section \(index + 1) of the core profile must be no=\"\(index + 1)\" name=\"\(expected.name)\" (found no=\"\(section.number.map(String.init) ?? "?")\" name=\"\(section.name)\")",
                    line: section.line, path: "/Asset/CoreProfile/Section"))
            }
        }
        return findings
    }

    static func formTransfer(_ document: AssetDocument) -> [Finding] {
        guard let form = document.form, let type = form[attribute: "type"] else { return [] }
        for needed in ["TransferToAdult", "YotTransfer"] where type == needed && document.root?.child(needed) == nil {
            return [Finding(code: "AS-FORM-TRANSFER", message: "a \(needed) form needs a \(needed) element", line: form.line, path: "/Asset/Form")]
        }
        return []
    }

    static func dates(_ document: AssetDocument) -> [Finding] {
        var findings: [Finding] = []
        let assessed = document.form?.child("AssessmentDate")
        let assessedDate = assessed.flatMap { CalendarDate($0.text) }
        if let birthElement = document.subject?.child("DOB"), let birth = CalendarDate(birthElement.text), let assessedDate, !(birth < assessedDate) {
            findings.append(Finding(code: "AS-DATES", message: "DOB is not before AssessmentDate", line: birthElement.line, path: "/Asset/Subject/DOB"))
        }
        guard let exported = document.form?.text(of: "ExportedAt").flatMap(CalendarDate.init) else { return findings }
        if let assessedDate, exported < assessedDate {
            findings.append(Finding(code: "AS-DATES", message: "AssessmentDate is after the date of ExportedAt", line: assessed?.line, path: "/Asset/Form/AssessmentDate"))
        }
        for offence in document.offences {
            if let date = CalendarDate(offence.date), exported < date {
                findings.append(Finding(code: "AS-DATES", message: "the Date of offence \(offence.seq) is after the date of ExportedAt", line: offence.line, path: "/Asset/Offences/Offence/Date"))
            }
        }
        return findings
    }

    static func transferAge(_ document: AssetDocument) -> [Finding] {
        guard let form = document.form, form[attribute: "type"] == "TransferToAdult",
              let assessed = form.text(of: "AssessmentDate").flatMap(CalendarDate.init),
              let birth = document.subject?.text(of: "DOB").flatMap(CalendarDate.init),
              birth < assessed, assessed.age(bornOn: birth) < 17
        else { return [] }
        return [Finding(code: "AS-TRANSFER-AGE", severity: .warning, message: "the young person is under 17 on the AssessmentDate of this TransferToAdult form; check the transfer is due", line: form.child("AssessmentDate")?.line, path: "/Asset/Form/AssessmentDate")]
    }
}
