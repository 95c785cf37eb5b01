extension NOCODocument {
    /// What a Mustache template sees: the document as nested dictionaries with the model's
    /// property names, absent optionals left out (so `{{#youngPerson.pnc}}…{{/youngPerson.pnc}}`
    /// shows only when there is one), plus a few conveniences for layout: `kindTitle`, the
    /// `has…` booleans, and each flag's plain-words `title`. docs/noco.md lists every name.
    var templateContext: [String: Any] {
        var context: [String: Any] = [
            "transferId": transferId,
            "generatedAt": generatedAt,
            "kind": kind.rawValue,
            "kindTitle": kind.title,
            "from": Self.compact([
                "code": from.code,
                "name": from.name,
                "contact": from.contact.map { Self.compact(["name": $0.name, "phone": $0.phone, "email": $0.email]) },
            ]),
            "to": ["code": to.code, "name": to.name],
            "youngPerson": Self.compact([
                "personId": youngPerson.personId,
                "pnc": youngPerson.pnc,
                "familyName": youngPerson.familyName,
                "givenNames": youngPerson.givenNames,
                "dateOfBirth": youngPerson.dateOfBirth,
                "ageOnTransfer": youngPerson.ageOnTransfer,
                "lookedAfter": youngPerson.lookedAfter,
            ]),
            "assessment": Self.compact([
                "framework": assessment.framework.rawValue,
                "fileName": assessment.fileName,
                "stage": assessment.stage,
                "assessedOn": assessment.assessedOn,
                "riskOfSeriousHarm": assessment.riskOfSeriousHarm,
                "likelihoodOfReoffending": assessment.likelihoodOfReoffending,
                "safetyAndWellbeing": assessment.safetyAndWellbeing,
                "yogrs": assessment.yogrs,
                "mappa": assessment.mappa.map { ["category": $0.category, "level": $0.level] },
            ]),
            "currentDisposals": currentDisposals,
            "hasCurrentDisposals": !currentDisposals.isEmpty,
            "raisedFlags": raisedFlags.map { ["code": $0, "title": Self.flagTitle($0)] },
            "hasRaisedFlags": !raisedFlags.isEmpty,
            "receiverActions": receiverActions.map { ["rule": $0.rule, "text": $0.text] },
            "hasReceiverActions": !receiverActions.isEmpty,
            "gaps": gaps.map { ["field": $0.field, "reason": $0.reason] },
            "hasGaps": !gaps.isEmpty,
        ]
        if let transition {
            func services(_ list: [Service]) -> [[String: String]] { list.map { ["name": $0.name, "detail": $0.detail] } }
            context["transition"] = Self.compact([
                "continuingServices": services(transition.continuingServices),
                "endingServices": services(transition.endingServices),
                "unclearServices": services(transition.unclearServices),
                "hasServices": !(transition.continuingServices + transition.endingServices + transition.unclearServices).isEmpty,
                "specificNeeds": transition.specificNeeds,
                "supervisionForms": transition.supervisionForms,
                "interventionsToAvoid": transition.interventionsToAvoid,
                "changeOfSupervisor": transition.changeOfSupervisor,
                "adultEnvironment": transition.adultEnvironment,
                "transitionHelp": transition.transitionHelp,
            ])
        }
        return context
    }

    /// Plain-words title of a `RaisedFlag` code.
    static func flagTitle(_ code: String) -> String {
        switch code {
        case "GangAssociation": "Gang association"
        case "RiskToChildren": "Risk to children"
        case "RiskOfSelfHarm": "Risk of self-harm"
        case "StaffSafety": "Staff safety"
        case "PreviousIncidents": "Previous incidents"
        case "ChildProtectionPlan": "Child protection plan"
        default: code
        }
    }

    private static func compact(_ values: [String: Any?]) -> [String: Any] {
        values.compactMapValues { $0 }
    }

    /// Every name a template may use, at any depth: the keys of a document with every field filled.
    static let templateNames: Set<String> = {
        var names: Set<String> = []
        func collect(_ value: Any) {
            if let dictionary = value as? [String: Any] {
                for (key, child) in dictionary {
                    names.insert(key)
                    collect(child)
                }
            } else if let list = value as? [Any] {
                list.forEach(collect)
            }
        }
        collect(specimen.templateContext)
        return names
    }()

    /// A document with every optional present and every list non-empty: the full variable tree.
    static var specimen: NOCODocument {
        let service = Service(name: "n", detail: "d")
        var transition = Transition(.init(
            continuingServices: [], endingServices: [], unclearServices: [], specificNeeds: "x", supervisionForms: "x",
            interventionsToAvoid: "x", changeOfSupervisor: "x", adultEnvironment: "x", transitionHelp: "x"))
        transition.continuingServices = [service]
        transition.endingServices = [service]
        transition.unclearServices = [service]
        return NOCODocument(
            transferId: "", generatedAt: "", kind: .youthToAdult,
            from: .init(code: "", name: "", contact: .init(name: "", phone: "", email: "")),
            to: .init(code: "", name: ""),
            youngPerson: .init(personId: "", pnc: "", familyName: "", givenNames: "", dateOfBirth: "", ageOnTransfer: 0, lookedAfter: ""),
            assessment: .init(
                framework: .asset, fileName: "", stage: "", assessedOn: "", riskOfSeriousHarm: "", likelihoodOfReoffending: "",
                safetyAndWellbeing: "", yogrs: 0, mappa: .init(category: "", level: "")),
            currentDisposals: [""], raisedFlags: [""], transition: transition,
            receiverActions: [.init(rule: "", text: "")], gaps: [.init(field: "", reason: "")])
    }
}
