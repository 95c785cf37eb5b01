public import CaseRecord

/// One named rule that finds a field the NOCO wants and the case record lacks.
///
/// A gap is shown to the sender so that they complete it by hand; the generator never fills
/// the field with a guess. Reasons name fields and frameworks, never personal data.
public struct GapRule: Sendable {
    /// The NOCO element the gap is about (`Gap/@field`).
    public let field: String
    /// When the rule fires, in plain words (for documentation).
    public let summary: String
    private let derive: @Sendable (CaseRecord, NOCOKind) -> [String]

    public init(field: String, summary: String, derive: @escaping @Sendable (CaseRecord, NOCOKind) -> [String]) {
        self.field = field
        self.summary = summary
        self.derive = derive
    }

    /// The gaps this rule finds (usually none or one).
    public func gaps(for record: CaseRecord, kind: NOCOKind) -> [NOCODocument.Gap] {
        derive(record, kind).map { NOCODocument.Gap(field: field, reason: $0) }
    }
}

extension GapRule {
    /// Every rule, in the order of the fields in NOCO.xml.
    public static let all: [GapRule] = [likelihoodOfReoffending, yogrs, mappa, currentDisposal, transition]

    /// No likelihood of reoffending: Asset derives it from the core profile total, which not
    /// every Asset form carries; AssetPlus records it as a judgement that may be left out.
    public static let likelihoodOfReoffending = GapRule(
        field: "LikelihoodOfReoffending", summary: "the record's likelihoodOfReoffending is null"
    ) { record, _ in
        guard record.risk.likelihoodOfReoffending == nil else { return [] }
        return [record.source.format == .asset
            ? "the Asset form has no core profile score to give a likelihood of reoffending"
            : "the assessment has no likelihood of reoffending"]
    }

    /// No YOGRS score: Asset never has one; an AssetPlus stage may not have reached it.
    public static let yogrs = GapRule(field: "YOGRS", summary: "the record's yogrs is null") { record, _ in
        guard record.risk.yogrs == nil else { return [] }
        return [record.source.format == .asset ? "Asset assessments have no YOGRS score" : "the assessment has no YOGRS score"]
    }

    /// No MAPPA at all in the source (an Asset form without MAPPA). "None" is an answer, not a gap.
    public static let mappa = GapRule(field: "MAPPA", summary: "the record's mappa is null") { record, _ in
        record.risk.mappa == nil ? ["the assessment records no MAPPA category or level"] : []
    }

    /// A current AssetPlus offence with no outcome: its disposal cannot be stated. (Asset
    /// offences have no status; one without an outcome is not yet disposed of and is skipped.)
    public static let currentDisposal = GapRule(
        field: "CurrentDisposal", summary: "an offence with status Current has no outcome"
    ) { record, _ in
        record.offences
            .filter { $0.status == "Current" && $0.outcome == nil }
            .map { offence in
                let which = offence.id.map { "offence \($0)" } ?? "a current offence"
                return "\(which) is current but has no outcome recorded"
            }
    }

    /// A youth-to-adult transfer from a document without a youth-to-adult section.
    public static let transition = GapRule(
        field: "Transition", summary: "a YouthToAdult NOCO from a record whose transition is null"
    ) { record, kind in
        kind == .youthToAdult && record.transition == nil ? ["the assessment has no youth-to-adult section"] : []
    }
}
