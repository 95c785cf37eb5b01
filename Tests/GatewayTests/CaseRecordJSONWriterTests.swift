import CaseRecord
import Foundation
import TestSupport
import Testing

/// `CaseRecord.jsonData()` is written by hand; these pin it to `JSONEncoder`'s bytes
/// (`CanonicalJSON.encode`), which the golden files were recorded with.
@Suite("Case record JSON writer")
struct CaseRecordJSONWriterTests {
    @Test("same bytes as JSONEncoder for every valid sample", arguments: Fixtures.validSampleNames)
    func sample(name: String) throws {
        let record = try #require(try Fixtures.process(file: Fixtures.sample(name), convert: true).caseRecord)
        #expect(try record.jsonData() == CanonicalJSON.encode(record))
    }

    @Test("same bytes as JSONEncoder for generated records (nulls, empty lists, escapes, non-ASCII)", arguments: 0..<200)
    func generated(seed: Int) throws {
        var generator = RecordGenerator(seed: UInt64(seed))
        let record = generator.record()
        let written = try record.jsonData()
        let encoded = try CanonicalJSON.encode(record)
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: encoded, as: UTF8.self))
        #expect(try CaseRecord.decode(written) == record)
    }

    @Test("every control character, quote and backslash is escaped as JSONEncoder does")
    func escapes() throws {
        var generator = RecordGenerator(seed: 7)
        var record = generator.record()
        record.person.familyName = String((0..<0x80).map { Character(UnicodeScalar(UInt8($0))) })
        record.person.givenNames = "\u{2028}\u{2029}\u{FEFF}\u{85}é😀/\\\"\u{7F}"
        #expect(try record.jsonData() == CanonicalJSON.encode(record))
    }
}

/// Deterministic random case records (SplitMix64), covering every optional both ways.
struct RecordGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func bool() -> Bool { next() & 1 == 0 }

    private static let pieces: [String] = [
        "a", "Z", " ", "0", "9", "/", "\\", "\"", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}",
        "\u{7F}", "é", "ß", "Ł", "😀", "\u{2028}", "\u{FEFF}", "<", "&", "'", "{", "}", "[", "]", ":", ",",
        "Jo", "Smith", "2012-05-30", "Yes", "No",
    ]

    mutating func string() -> String {
        (0..<int(0...12)).map { _ in Self.pieces[int(0...(Self.pieces.count - 1))] }.joined()
    }

    mutating func optional<T>(_ make: (inout RecordGenerator) -> T) -> T? { bool() ? make(&self) : nil }
    mutating func list<T>(_ max: Int, _ make: (inout RecordGenerator) -> T) -> [T] { (0..<int(0...max)).map { _ in make(&self) } }
    mutating func optionalString() -> String? { optional { $0.string() } }
    mutating func optionalInt() -> Int? { optional { $0.int(-1_000_000...1_000_000) } }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }

    mutating func service() -> CaseRecord.Service {
        .init(name: string(), detail: string(), date: optionalString(), lead: optionalString())
    }

    mutating func record() -> CaseRecord {
        let organisation = CaseRecord.Organisation(code: string(), name: string())
        var record = CaseRecord(
            source: .init(format: pick(Framework.allCases), documentId: string(), organisation: organisation, sourceSystem: optionalString(), exportedAt: string(), sha256: string()),
            person: .init(id: optionalString(), pnc: optionalString(), cro: optionalString(), familyName: string(), givenNames: string(), dateOfBirth: string(), gender: string(), lookedAfter: string()),
            assessment: .init(
                stage: string(), status: string(), transferStatus: optional { $0.pick(TransferStatus.allCases) }, assessedOn: string(),
                caseType: pick([CaseType.prevention, .outOfCourt, .statutory]),
                countersignedBy: list(3) { .init(section: $0.string(), managerName: $0.string(), signedOn: $0.string()) }),
            risk: .init(
                riskOfSeriousHarm: string(), likelihoodOfReoffending: optionalString(), safetyAndWellbeing: string(), yogrs: optionalInt(),
                mappa: optional { .init(category: $0.string(), level: $0.string()) }, scaledApproach: optionalString(),
                flags: .init(gangAssociation: optionalString(), riskToChildren: optionalString(), riskOfSelfHarm: optionalString(), staffSafety: optionalString(), previousIncidents: optionalString(), childProtectionPlan: optionalString())),
            needs: list(4) { g in
                .init(area: g.pick(NeedArea.allCases), assetScore: g.optionalInt(), assetEvidence: g.optionalString(),
                      factorsFor: g.list(2) { .init(text: $0.string(), strength: $0.string()) },
                      factorsAgainst: g.list(2) { .init(text: $0.string(), strength: $0.string()) })
            },
            offences: list(3) { .init(id: $0.optionalString(), description: $0.string(), date: $0.string(), status: $0.optionalString(), outcome: $0.optionalString()) },
            incidents: list(2) { .init(id: $0.string(), description: $0.string(), date: $0.string(), status: $0.string()) },
            episodes: list(2) { g in .init(id: g.string(), kind: g.string(), status: g.string(), members: g.list(3) { $0.string() }) },
            positiveFactors: list(3) { $0.string() },
            plan: .init(targets: list(3) { g in .init(text: g.string(), keyAreas: g.list(3) { $0.string() }, dueBy: g.optionalString()) }),
            transition: optional { g in
                .init(continuingServices: g.list(2) { $0.service() }, endingServices: g.list(2) { $0.service() }, unclearServices: g.list(2) { $0.service() },
                      specificNeeds: g.optionalString(), supervisionForms: g.optionalString(), interventionsToAvoid: g.optionalString(),
                      changeOfSupervisor: g.optionalString(), adultEnvironment: g.optionalString(), transitionHelp: g.optionalString())
            },
            yotTransfer: optional { g in .init(receivingYot: .init(code: g.string(), name: g.string()), reason: g.string(), caretaking: g.optional { $0.bool() }) },
            documents: list(2) { .init(fileName: $0.string(), mediaType: $0.string(), sha256: $0.string()) },
            diagnostics: list(3) { .init(code: $0.string(), severity: $0.string(), message: $0.string(), line: $0.optionalInt()) })
        if bool() { record.schema = string() }
        return record
    }
}
