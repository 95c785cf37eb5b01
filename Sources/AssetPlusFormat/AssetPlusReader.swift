public import XMLSupport
import CaseRecord

/// Collects an `AssetPlusDocument` from the element stream.
public final class AssetPlusReader {
    private static let split: Set<String> = [
        "AssetPlus/Header",
        "AssetPlus/CoreRecord/Offences/Offence",
        "AssetPlus/CoreRecord/Incidents/Incident",
        "AssetPlus/CoreRecord/Episodes/Episode",
        "AssetPlus/InformationGathering/SignificantLifeEvent",
        "AssetPlus/ExplanationsConclusions/DesistanceFactors/Factor",
        "AssetPlus/ExplanationsConclusions/FutureBehaviours/Behaviour",
        "AssetPlus/ExplanationsConclusions/AdverseOutcomes/Outcome",
        "AssetPlus/PathwaysPlanning/Target",
        "AssetPlus/PathwaysPlanning/ExternalControl",
        "AssetPlus/Documents/Document",
    ]

    public private(set) var document = AssetPlusDocument()
    /// The handler to give the stream reader.
    public private(set) var handler: SubtreeBuilder! = nil
    private let keepText: Bool
    private var items = AssetPlusItemRules()
    private var generated: CalendarDate?

    /// - Parameter keepText: false when only validating, so free text is not kept in memory.
    /// What validation does not need: free text, and the lists only the case record uses.
    /// Most of a large document's bytes are here, and the reader skips them undecoded.
    private static let skippedWhenValidating: Set<String> = [
        "AssetPlus/CoreRecord/Offences/Offence/Description",
        "AssetPlus/CoreRecord/Incidents/Incident/Description",
        "AssetPlus/InformationGathering/SignificantLifeEvent/Description",
        "AssetPlus/InformationGathering/PersonalFamilySocial/Notes",
        "AssetPlus/InformationGathering/OffendingBehaviour",
        "AssetPlus/InformationGathering/FoundationsForChange",
        "AssetPlus/ExplanationsConclusions/DesistanceFactors",
        "AssetPlus/ExplanationsConclusions/FutureBehaviours",
        "AssetPlus/ExplanationsConclusions/AdverseOutcomes",
        "AssetPlus/PathwaysPlanning",
        "AssetPlus/Documents",
    ]

    public init(keepText: Bool) {
        self.keepText = keepText
        handler = SubtreeBuilder(split: Self.split, skip: keepText ? [] : Self.skippedWhenValidating) { [unowned self] path, element in
            self.take(path, element)
        }
    }

    private func text(_ value: String?) -> String {
        keepText ? (value ?? "") : ""
    }

    private func take(_ path: String, _ element: XMLElement) {
        switch path {
        case "AssetPlus/Header":
            document.headerElement = element
            generated = element.text(of: "GeneratedAt").flatMap(CalendarDate.init)
        case "AssetPlus/CoreRecord/Offences/Offence":
            let offence = AssetPlusDocument.Offence(
                id: element[attribute: "id"] ?? "", description: text(element.text(of: "Description")),
                date: element.text(of: "OffenceDate") ?? "", status: element.text(of: "Status") ?? "",
                outcome: element.text(of: "Outcome"), line: element.line)
            items.offence(offence, generated: generated, into: &document)
            if keepText { document.offences.append(offence) }
        case "AssetPlus/CoreRecord/Incidents/Incident":
            let incident = AssetPlusDocument.Incident(
                id: element[attribute: "id"] ?? "", description: text(element.text(of: "Description")),
                date: element.text(of: "IncidentDate") ?? "", status: element.text(of: "Status") ?? "",
                line: element.line)
            items.incident(incident, generated: generated, into: &document)
            if keepText { document.incidents.append(incident) }
        case "AssetPlus/CoreRecord/Episodes/Episode":
            let episode = AssetPlusDocument.Episode(
                id: element[attribute: "id"] ?? "", kind: element[attribute: "kind"] ?? "",
                status: element[attribute: "status"] ?? "",
                members: element.children("Member").compactMap { $0[attribute: "ref"] }, line: element.line)
            items.episode(episode, into: &document)
            if keepText { document.episodes.append(episode) }
        case "AssetPlus/InformationGathering/SignificantLifeEvent":
            items.lifeEvent(.init(date: element[attribute: "date"] ?? "", line: element.line), generated: generated, into: &document)
        case "AssetPlus/ExplanationsConclusions/DesistanceFactors/Factor" where keepText:
            // Only the case record needs factors, targets and documents: validating keeps none.
            document.factors.append(.init(
                category: element[attribute: "category"] ?? "", direction: element[attribute: "direction"] ?? "",
                strength: element[attribute: "strength"] ?? "", text: text(element.text)))
        case "AssetPlus/PathwaysPlanning/Target" where keepText:
            document.targets.append(.init(
                text: text(element.text(of: "Text")), keyAreas: element.children("KeyArea").map(\.text),
                dueBy: element.text(of: "DueBy")))
        case "AssetPlus/Documents/Document" where keepText:
            document.attachedDocuments.append(element)
        case "AssetPlus":
            document.root = element
        default:
            break  // behaviours, adverse outcomes, external controls: not part of the case record
        }
    }
}
