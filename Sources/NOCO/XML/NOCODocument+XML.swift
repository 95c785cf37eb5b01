public import Foundation

extension NOCODocument {
    /// NOCO.xml: namespace `urn:y2a:noco:1`, elements exactly in the contract's order, every value
    /// escaped, UTF-8, two-space indentation, one trailing newline. The same document always gives
    /// the same bytes.
    public func xmlData() -> Data {
        var xml = XMLTextWriter()
        xml.start("NOCO", ["xmlns": Self.namespace, "version": Self.version])
        xml.element("TransferId", transferId)
        xml.element("GeneratedAt", generatedAt)
        xml.element("Kind", kind.rawValue)

        xml.start("From", ["code": from.code])
        xml.element("Name", from.name)
        if let contact = from.contact {
            xml.start("Contact")
            xml.element("Name", contact.name)
            xml.element("Phone", ifPresent: contact.phone)
            xml.element("Email", ifPresent: contact.email)
            xml.end()
        }
        xml.end()
        xml.element("To", to.name, ["code": to.code])

        xml.start("YoungPerson")
        xml.element("PersonId", youngPerson.personId)
        xml.element("PNC", ifPresent: youngPerson.pnc)
        xml.element("FamilyName", youngPerson.familyName)
        xml.element("GivenNames", youngPerson.givenNames)
        xml.element("DateOfBirth", youngPerson.dateOfBirth)
        xml.element("AgeOnTransfer", String(youngPerson.ageOnTransfer))
        xml.element("LookedAfter", youngPerson.lookedAfter)
        xml.end()

        xml.start("Assessment")
        xml.element("Framework", assessment.framework.rawValue)
        xml.element("FileName", assessment.fileName)
        xml.element("Stage", assessment.stage)
        xml.element("AssessedOn", assessment.assessedOn)
        xml.element("RiskOfSeriousHarm", assessment.riskOfSeriousHarm)
        xml.element("LikelihoodOfReoffending", ifPresent: assessment.likelihoodOfReoffending)
        xml.element("SafetyWellbeing", assessment.safetyAndWellbeing)
        xml.element("YOGRS", ifPresent: assessment.yogrs.map(String.init))
        if let mappa = assessment.mappa {
            xml.empty("MAPPA", ["category": mappa.category, "level": mappa.level])
        }
        xml.end()

        for disposal in currentDisposals { xml.element("CurrentDisposal", disposal) }
        for flag in raisedFlags { xml.element("RaisedFlag", flag) }

        if let transition {
            xml.start("Transition")
            for service in transition.continuingServices { xml.element("ContinuingService", service.detail, ["name": service.name]) }
            for service in transition.endingServices { xml.element("EndingService", service.detail, ["name": service.name]) }
            for service in transition.unclearServices { xml.element("UnclearService", service.detail, ["name": service.name]) }
            xml.element("SpecificNeeds", ifPresent: transition.specificNeeds)
            xml.element("SupervisionForms", ifPresent: transition.supervisionForms)
            xml.element("InterventionsToAvoid", ifPresent: transition.interventionsToAvoid)
            xml.element("ChangeOfSupervisor", ifPresent: transition.changeOfSupervisor)
            xml.element("AdultEnvironment", ifPresent: transition.adultEnvironment)
            xml.element("TransitionHelp", ifPresent: transition.transitionHelp)
            xml.end()
        }

        for action in receiverActions { xml.element("ReceiverAction", action.text) }
        for gap in gaps { xml.element("Gap", gap.reason, ["field": gap.field]) }
        xml.end()
        return Data(xml.text.utf8)
    }
}
