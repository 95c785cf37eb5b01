public import CaseRecord
public import Foundation

/// Builds the NOCO for one transfer from a case record (`noco.md`).
///
/// Every value comes from the case record or from the request (the transfer's own details);
/// nothing is invented. What the record lacks becomes a `Gap`; what the receiver must still do
/// comes from the named `ReceiverActionRule`s.
public struct NOCOGenerator: Sendable {
    /// The longest text the contract allows in one NOCO element.
    public static let maxText = 4000
    public static let maxName = 200

    public var receiverActionRules: [ReceiverActionRule]
    public var gapRules: [GapRule]

    public init(receiverActionRules: [ReceiverActionRule] = ReceiverActionRule.all, gapRules: [GapRule] = GapRule.all) {
        self.receiverActionRules = receiverActionRules
        self.gapRules = gapRules
    }

    /// The NOCO for `record` travelling with the transfer `request` describes.
    public func document(from record: CaseRecord, request: NOCORequest) throws(NOCOError) -> NOCODocument {
        try Self.check(request)
        guard let personId = record.person.id, !personId.isEmpty else {
            throw NOCOError(code: "NOCO-PERSON-ID", message: "the case record has no person id, which the NOCO requires")
        }
        let generatedAt = NOCORequest.timestamp(request.generatedAt)
        // AgeOnTransfer is the age on the transfer assessment's date, not on GeneratedAt: a NOCO
        // made years later must not age the young person (contract change of 2026-12-02).
        guard let age = record.ageOnAssessment else {
            throw NOCOError(code: "NOCO-DATE", message: "the case record's date of birth or assessment date is not a date")
        }
        guard age >= 0 else {
            throw NOCOError(code: "NOCO-DATE", message: "the case record's date of birth is after its assessment date")
        }

        var gaps = gapRules.flatMap { $0.gaps(for: record, kind: request.kind) }
        var disposals: [String] = []
        for disposal in Self.currentDisposals(record) {
            if disposal.count > Self.maxText {
                disposals.append(String(disposal.prefix(Self.maxText - 1)) + "…")
                gaps.append(.init(field: "CurrentDisposal", reason: "a disposal was longer than \(Self.maxText) characters and was shortened: complete it by hand"))
            } else {
                disposals.append(disposal)
            }
        }
        // Keep gaps in NOCO field order even when the shortening above added one.
        let order = Dictionary(GapRule.all.enumerated().map { ($1.field, $0) }, uniquingKeysWith: { first, _ in first })
        gaps = gaps.enumerated().sorted { (order[$0.element.field] ?? .max, $0.offset) < (order[$1.element.field] ?? .max, $1.offset) }.map(\.element)

        return NOCODocument(
            transferId: request.transferId.lowercased(),
            generatedAt: generatedAt,
            kind: request.kind,
            from: request.from,
            to: request.to,
            youngPerson: .init(
                personId: personId, pnc: record.person.pnc, familyName: record.person.familyName,
                givenNames: record.person.givenNames, dateOfBirth: record.person.dateOfBirth,
                ageOnTransfer: age, lookedAfter: record.person.lookedAfter),
            assessment: .init(
                framework: record.source.format, fileName: record.source.fileName, stage: record.assessment.stage,
                assessedOn: record.assessment.assessedOn, riskOfSeriousHarm: record.risk.riskOfSeriousHarm,
                likelihoodOfReoffending: record.risk.likelihoodOfReoffending,
                safetyAndWellbeing: record.risk.safetyAndWellbeing, yogrs: record.risk.yogrs, mappa: record.risk.mappa),
            currentDisposals: disposals,
            raisedFlags: record.risk.flags.raised,
            transition: record.transition.map(NOCODocument.Transition.init),
            receiverActions: receiverActionRules.compactMap { $0.action(for: record, kind: request.kind) },
            gaps: gaps)
    }

    /// The NOCO and its NOCO.xml bytes.
    public func generate(from record: CaseRecord, request: NOCORequest) throws(NOCOError) -> (document: NOCODocument, xml: Data) {
        let document = try document(from: record, request: request)
        return (document, document.xmlData())
    }

    /// `"<outcome>: <description>"` for each offence whose disposal is current: AssetPlus offences
    /// with status Current; Asset offences (which have no status) with an outcome. An offence
    /// without an outcome has no disposal to state and is skipped (see `GapRule.currentDisposal`).
    static func currentDisposals(_ record: CaseRecord) -> [String] {
        record.offences.compactMap { offence in
            guard let outcome = offence.outcome else { return nil }
            let current = record.source.format == .asset ? offence.status == nil : offence.status == "Current"
            return current ? "\(outcome): \(offence.description)" : nil
        }
    }

    /// The request's own values must fit the contract before anything is built.
    static func check(_ request: NOCORequest) throws(NOCOError) {
        guard NOCORequest.isTransferId(request.transferId) else {
            throw NOCOError(code: "NOCO-TRANSFER-ID", message: "the transfer id must be a UUID such as 8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33")
        }
        for (what, code) in [("sender", request.from.code), ("recipient", request.to.code)] where !isOrganisationCode(code) {
            throw NOCOError(code: "NOCO-CODE", message: "the \(what) code must be 3 to 8 capital letters or digits")
        }
        for (what, name) in [("sender", request.from.name), ("recipient", request.to.name)] where name.isEmpty || name.count > maxName {
            throw NOCOError(code: "NOCO-NAME", message: "the \(what) name must be 1 to \(maxName) characters")
        }
        if let contact = request.from.contact {
            for (what, value) in [("name", contact.name as String?), ("phone", contact.phone), ("email", contact.email)] {
                if let value, value.isEmpty || value.count > maxText {
                    throw NOCOError(code: "NOCO-CONTACT", message: "the contact \(what) must be 1 to \(maxText) characters")
                }
            }
        }
    }

    /// The contract's organisation code: `[A-Z0-9]{3,8}`.
    public static func isOrganisationCode(_ code: String) -> Bool {
        (3...8).contains(code.count) && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
