public import CaseRecord

/// One named rule that derives something the receiver must still do from the case record.
///
/// Messages carry codes and levels only: never a name, a date of birth or offence text, because
/// they are printed on terminals and logged as well as written into the NOCO.
public struct ReceiverActionRule: Sendable {
    /// Stable id, e.g. `RA-MAPPA-LEVEL`; listed in docs/noco.md.
    public let id: String
    /// When the rule fires, in plain words (for documentation and `--help`).
    public let summary: String
    private let derive: @Sendable (CaseRecord, NOCOKind) -> String?

    public init(id: String, summary: String, derive: @escaping @Sendable (CaseRecord, NOCOKind) -> String?) {
        self.id = id
        self.summary = summary
        self.derive = derive
    }

    /// The action this rule asks for, or nil when it does not apply.
    public func action(for record: CaseRecord, kind: NOCOKind) -> NOCODocument.ReceiverAction? {
        derive(record, kind).map { NOCODocument.ReceiverAction(rule: id, text: $0) }
    }
}

extension ReceiverActionRule {
    /// Every rule, in the order their actions appear in the NOCO.
    public static let all: [ReceiverActionRule] = [
        adultAssessments, mappaLevel, mappaCategory, childProtectionPlan, lookedAfter, riskOfSeriousHarm, riskOfSelfHarm,
    ]

    /// Every youth-to-adult transfer: probation's own assessments (RSR, CAS) are not part of the
    /// portal and must be completed by the receiver.
    public static let adultAssessments = ReceiverActionRule(
        id: "RA-ADULT-ASSESSMENTS", summary: "every YouthToAdult NOCO"
    ) { _, kind in
        kind == .youthToAdult ? "Complete RSR and CAS outside the portal" : nil
    }

    /// MAPPA level 2 or 3: the case needs multi-agency management, so a meeting must be arranged.
    public static let mappaLevel = ReceiverActionRule(
        id: "RA-MAPPA-LEVEL", summary: "MAPPA level 2 or 3"
    ) { record, _ in
        guard let level = record.risk.mappa?.level, level == "2" || level == "3" else { return nil }
        return "MAPPA level \(level): arrange a MAPPA meeting"
    }

    /// A MAPPA category without a level that calls for a meeting (level 1, or no level yet):
    /// ordinary agency management still has to be confirmed with the coordinator.
    public static let mappaCategory = ReceiverActionRule(
        id: "RA-MAPPA-CATEGORY", summary: "MAPPA category 1, 2 or 3 at level 1 (or no level)"
    ) { record, _ in
        guard let mappa = record.risk.mappa, mappa.category != "None", mappa.level != "2", mappa.level != "3" else { return nil }
        return "MAPPA category \(mappa.category): confirm management arrangements with the MAPPA coordinator"
    }

    /// A current child protection plan: children's services stay involved after the transfer.
    public static let childProtectionPlan = ReceiverActionRule(
        id: "RA-CHILD-PROTECTION", summary: "child protection plan Current"
    ) { record, _ in
        record.risk.flags.childProtectionPlan == "Current"
            ? "Child protection plan is current: make safeguarding follow-up with children's services" : nil
    }

    /// Looked after now or before: the young person may be owed leaving-care support.
    public static let lookedAfter = ReceiverActionRule(
        id: "RA-LOOKED-AFTER", summary: "looked after Yes or Previously"
    ) { record, _ in
        let status = record.person.lookedAfter
        guard status == "Yes" || status == "Previously" else { return nil }
        return "Looked-after status (\(status)): confirm leaving-care support and personal adviser"
    }

    /// High or very high risk of serious harm: the risk management plan must be reviewed at once.
    public static let riskOfSeriousHarm = ReceiverActionRule(
        id: "RA-ROSH", summary: "risk of serious harm High or VeryHigh"
    ) { record, _ in
        let rosh = record.risk.riskOfSeriousHarm
        guard rosh == "High" || rosh == "VeryHigh" else { return nil }
        return "RoSH \(rosh): review risk management plan on allocation"
    }

    /// Risk of self-harm answered Yes: the safety plan must reach the new supervisor.
    public static let riskOfSelfHarm = ReceiverActionRule(
        id: "RA-SELF-HARM", summary: "risk of self-harm Yes"
    ) { record, _ in
        record.risk.flags.riskOfSelfHarm == "Yes" ? "Risk of self-harm raised: share safety plan with the new supervisor" : nil
    }
}
