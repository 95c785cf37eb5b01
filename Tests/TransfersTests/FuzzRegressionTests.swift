import CaseStore
import Foundation
import Gateway
import TestSupport
import Testing
import Transfers

/// Every reproducer the fuzzers saved (Tests/Fuzz/Regressions, see Scripts/fuzz) goes through
/// both paths the fuzzers drive, each time the suite runs: the document path answers it with a
/// report, the package importer with a receipt (or a thrown error when no TransferId can be
/// found), and no message breaks a line or quotes a personal value (FuzzOracle).
@Suite("fuzz reproducers replayed")
struct FuzzRegressionTests {
    static let folder = TestSupport.Fixtures.root.appendingPathComponent("Tests/Fuzz/Regressions")

    static var reproducers: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
    }

    @Test("the oracle the fuzzers check is not vacuous: a quoted surname or a line break is a problem")
    func oracle() throws {
        let surname = try #require(FuzzOracle.personalValues.first { $0.first?.isUppercase == true })
        #expect(!FuzzOracle.problems(messages: ["Element '\(surname)': This element is not expected."]).isEmpty)
        #expect(!FuzzOracle.problems(messages: ["CData section not finished\nmore"]).isEmpty)
        #expect(FuzzOracle.problems(messages: ["an element not in the schema is not expected here"]).isEmpty)
    }

    @Test("the folder holds reproducers of both targets")
    func folderIsThere() {
        #expect(Self.reproducers.contains { $0.hasPrefix("document-") }, "\(Self.folder.path)")
        #expect(Self.reproducers.contains { $0.hasPrefix("package-") }, "\(Self.folder.path)")
    }

    @Test("through the document path: a report, one-line messages, no personal value", arguments: reproducers)
    func document(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let messages: [String]
        do {
            let processed = try Fixtures.processor().process(.data(bytes, name: name), convert: true)
            if processed.report.valid { #expect(processed.caseRecord != nil) }
            messages = processed.report.findings.flatMap { [$0.message, $0.path ?? ""] }
        } catch {
            messages = ["\(error)"]
        }
        #expect(FuzzOracle.problems(messages: messages).isEmpty, "\(name)")
    }

    @Test("through the package importer: a receipt whose decision and reasons agree, no personal value", arguments: reproducers)
    func package(_ name: String) async throws {
        let bytes = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        let importer = PackageImporter(
            schemas: Fixtures.schemas, processor: Fixtures.processor(), store: try CaseStore(), options: .init(receiverCode: "N07"))
        let messages: [String]
        do {
            let outcome = try await importer.importPackage(bytes, fileName: "\(name).y2a.zip")
            #expect(outcome.receipt.reasons.isEmpty == (outcome.receipt.decision == .accepted), "\(name)")
            messages = outcome.receipt.reasons.map(\.text)
        } catch {
            messages = ["\(error)"]
        }
        #expect(FuzzOracle.problems(messages: messages).isEmpty, "\(name)")
    }
}
