import CaseRecord
import Findings
import Foundation

/// The rules that concern one offence, incident, episode or life event, checked as each item
/// streams past, so that validation keeps a few bytes per id instead of the items themselves
/// (a 1 GB document holds over a million offences). The Offences, Incidents and Episodes of
/// CoreRecord come in that order (XSD), so an episode's members are known when it ends, except
/// a later episode, which is settled at the end (`AssetPlusRules.pendingMembers`).
struct AssetPlusItemRules {
    /// Offences already reported as removed-but-in-an-episode (one finding per offence).
    private var removedInEpisode: Set<String> = []

    static func isSpace(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// An id as xs:ID compares it (whitespace collapsed away); padded ids are reported apart.
    static func trimmed(_ id: String) -> String {
        guard isSpace(id.utf8.first) || isSpace(id.utf8.last) else { return id }
        return id.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func register(_ id: String, _ info: AssetPlusDocument.IdInfo, kind: String, path: String, into document: inout AssetPlusDocument) {
        let key = Self.trimmed(id)
        if key != id {
            document.itemFindings.append(Finding(code: "XSD", message: "an \(kind) id has surrounding whitespace; ids are coded values", line: Int(info.line), path: path))
        }
        if !document.ids.insert(key, info) {
            document.itemFindings.append(Finding(code: "XSD", message: "the \(kind) id \(key) is already used; Offence, Incident and Episode ids share one id space and are unique", line: Int(info.line), path: "/AssetPlus/CoreRecord"))
        }
    }

    private func late(_ text: String, after generated: CalendarDate?, what: String, line: Int, path: String, into document: inout AssetPlusDocument) {
        if let generated, let date = CalendarDate(text), generated < date {
            document.itemFindings.append(Finding(code: "AP-DATES", message: "\(what) is after the date the document was generated (GeneratedAt)", line: line, path: path))
        }
    }

    mutating func offence(_ offence: AssetPlusDocument.Offence, generated: CalendarDate?, into document: inout AssetPlusDocument) {
        let removing = offence.outcome.map(AssetPlusRules.removingOutcomes.contains) ?? false
        let path = "/AssetPlus/CoreRecord/Offences/Offence"
        register(offence.id, .init(kind: .offence, outstanding: offence.status == "Outstanding", removing: removing, line: Int32(clamping: offence.line)),
                 kind: "Offence", path: path, into: &document)
        if removing, offence.status == "Outstanding" || offence.status == "Current", let outcome = offence.outcome {
            document.itemFindings.append(Finding(code: "AP-REMOVED-OUTCOME", message: "offence \(Self.trimmed(offence.id)) has the outcome \(outcome), which removes it from assessment, but its status is \(offence.status) (it must be Historical)", line: offence.line, path: path))
        }
        late(offence.date, after: generated, what: "OffenceDate of offence \(Self.trimmed(offence.id))", line: offence.line, path: path + "/OffenceDate", into: &document)
    }

    mutating func incident(_ incident: AssetPlusDocument.Incident, generated: CalendarDate?, into document: inout AssetPlusDocument) {
        register(incident.id, .init(kind: .incident, line: Int32(clamping: incident.line)), kind: "Incident", path: "/AssetPlus/CoreRecord/Incidents/Incident", into: &document)
        late(incident.date, after: generated, what: "IncidentDate of incident \(Self.trimmed(incident.id))", line: incident.line, path: "/AssetPlus/CoreRecord/Incidents/Incident/IncidentDate", into: &document)
    }

    mutating func lifeEvent(_ event: AssetPlusDocument.Dated, generated: CalendarDate?, into document: inout AssetPlusDocument) {
        late(event.date, after: generated, what: "a SignificantLifeEvent date", line: event.line, path: "/AssetPlus/InformationGathering/SignificantLifeEvent", into: &document)
    }

    mutating func episode(_ episode: AssetPlusDocument.Episode, into document: inout AssetPlusDocument) {
        register(episode.id, .init(kind: .episode, line: Int32(clamping: episode.line)), kind: "Episode", path: "/AssetPlus/CoreRecord/Episodes/Episode", into: &document)
        for member in episode.members {
            if Self.trimmed(member) != member {
                document.itemFindings.append(Finding(code: "XSD", message: "a Member ref of episode \(Self.trimmed(episode.id)) has surrounding whitespace; ids are coded values", line: episode.line, path: "/AssetPlus/CoreRecord/Episodes/Episode/Member"))
            }
            guard let info = document.ids[Self.trimmed(member)] else {
                document.pendingMembers.append((episode, member))
                continue
            }
            check(member: Self.trimmed(member), info, of: episode, into: &document)
        }
    }

    /// AP-EPISODE-MIX, AP-EPISODE-OUTSTANDING and the episode half of AP-REMOVED-OUTCOME.
    mutating func check(member: String, _ info: AssetPlusDocument.IdInfo, of episode: AssetPlusDocument.Episode, into document: inout AssetPlusDocument) {
        let path = "/AssetPlus/CoreRecord/Episodes/Episode"
        let id = Self.trimmed(episode.id)
        switch info.kind {
        case .episode:
            document.itemFindings.append(Finding(code: "AP-EPISODE-MIX", message: "episode \(id) has another episode (\(member)) as a member; members are offences or incidents", line: episode.line, path: path))
        case .incident where episode.kind == "Offending":
            document.itemFindings.append(Finding(code: "AP-EPISODE-MIX", message: "Offending episode \(id) has incident \(member) as a member; an episode never mixes offences and incidents", line: episode.line, path: path))
        case .offence where episode.kind == "AntiSocialBehaviour":
            document.itemFindings.append(Finding(code: "AP-EPISODE-MIX", message: "AntiSocialBehaviour episode \(id) has offence \(member) as a member; an episode never mixes offences and incidents", line: episode.line, path: path))
        default:
            break
        }
        if info.kind == .offence, info.outstanding {
            document.itemFindings.append(Finding(code: "AP-EPISODE-OUTSTANDING", message: "offence \(member) is Outstanding (not yet proven) but is a member of episode \(id)", line: episode.line, path: path))
        }
        if info.kind == .offence, info.removing, removedInEpisode.insert(member).inserted {
            document.itemFindings.append(Finding(code: "AP-REMOVED-OUTCOME", message: "offence \(member) has an outcome that removes it from assessment, but it is in an episode", line: Int(info.line), path: "/AssetPlus/CoreRecord/Offences/Offence"))
        }
    }
}
