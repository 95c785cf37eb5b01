import CaseRecord
import CaseStore
import Foundation
import TestSupport
import Testing

/// The case store: idempotent by content, grouped by person, source kept byte for byte.
@Suite("Case store")
struct CaseStoreTests {
    static func record(_ name: String) throws -> (CaseRecord, Data) {
        let path = Fixtures.sample(name)
        let record = try #require(try Fixtures.process(file: path, convert: true).caseRecord)
        return (record, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("the same document twice is stored once")
    func idempotent() throws {
        let store = try CaseStore()
        let (record, bytes) = try Self.record("valid/asset-core-profile.xml")
        let first = try store.store(record, sourceXML: bytes, sourceName: "a.xml")
        guard case .stored(let caseId, _) = first else { Issue.record("not stored: \(first)"); return }
        #expect(try store.store(record, sourceXML: bytes, sourceName: "copy.xml") == .alreadyStored(caseId: caseId))
        #expect(try store.counts().cases == 1)
    }

    @Test("the source is kept byte for byte with its SHA-256")
    func sourceKept() throws {
        let store = try CaseStore()
        let (record, bytes) = try Self.record("valid/asset-iso-8859-1.xml")
        guard case .stored(let caseId, _) = try store.store(record, sourceXML: bytes, sourceName: "x.xml") else { return }
        let source = try #require(try store.sourceDocument(caseId: caseId))
        #expect(source.bytes == bytes)
        #expect(source.sha256 == record.source.sha256)
    }

    @Test("documents about the same young person are grouped, newest first; others are not")
    func grouping() throws {
        let store = try CaseStore()
        let (asset, assetBytes) = try Self.record("valid/contract-example-asset.xml")
        let (plus, plusBytes) = try Self.record("valid/contract-example-assetplus.xml")
        // The same child again in AssetPlus two years later, without a PNC, names in other case.
        var later = plus
        later.person = asset.person
        later.person.pnc = nil
        later.person.familyName = " ROE"
        later.source.sha256 = String(repeating: "a", count: 64)
        later.assessment.assessedOn = "2016-04-29"
        guard case .stored(_, let personA) = try store.store(asset, sourceXML: assetBytes, sourceName: "a"),
              case .stored(let laterId, let personB) = try store.store(later, sourceXML: plusBytes, sourceName: "b"),
              case .stored(_, let personC) = try store.store(plus, sourceXML: plusBytes, sourceName: "c")
        else { Issue.record("not stored"); return }
        #expect(personA == personB)
        #expect(personC != personA)
        let history = try store.cases(ofPerson: personA)
        #expect(history.map(\.id).first == laterId)
        #expect(history.count == 2)
    }

    @Test("different PNCs are different people even with the same names and date of birth")
    func differentPNC() throws {
        let store = try CaseStore()
        let (record, bytes) = try Self.record("valid/contract-example-assetplus.xml")
        var twin = record
        twin.person.pnc = "15/7654321Z"
        twin.source.sha256 = String(repeating: "b", count: 64)
        guard case .stored(_, let first) = try store.store(record, sourceXML: bytes, sourceName: "a"),
              case .stored(_, let second) = try store.store(twin, sourceXML: bytes, sourceName: "b")
        else { Issue.record("not stored"); return }
        #expect(first != second)
    }

    @Test("search by name, PNC or person id; filter by framework and transfer status")
    func search() throws {
        let store = try CaseStore()
        for name in Fixtures.validSampleNames {
            let (record, bytes) = try Self.record(name)
            _ = try store.store(record, sourceXML: bytes, sourceName: name)
        }
        #expect(try store.cases(.init(text: "thistlewood")).count == 1)
        #expect(try store.cases(.init(text: "15/0082341R")).count == 1)
        #expect(try store.cases(.init(text: "CV-004417")).count == 1)
        #expect(try store.cases(.init(framework: .asset)).allSatisfy { $0.framework == "Asset" })
        #expect(try store.cases(.init(transferStatus: "awaiting")).allSatisfy { $0.transferStatus == "awaiting" })
        let all = try store.cases()
        #expect(all.map(\.assessedOn) == all.map(\.assessedOn).sorted(by: >))
    }

    @Test("a corrupt store file is refused with a clear error")
    func corrupt() throws {
        let file = try Fixtures.temporaryDirectory().appendingPathComponent("bad.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: file)
        #expect {
            _ = try CaseStore(path: file.path)
        } throws: { error in
            (error as? StoreError)?.code == "STORE-CORRUPT"
        }
    }
}
