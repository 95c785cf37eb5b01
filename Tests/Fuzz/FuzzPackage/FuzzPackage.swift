// libFuzzer target: the package importer (every check of the contract, then the store), on
// package bytes. Built only by Scripts/fuzz (Y2A_FUZZ=1, --sanitize=fuzzer --sanitize=address).
// Every package is answered with a receipt whose decision and reasons agree, and whose reasons
// pass FuzzOracle; a crash, an ASan report or a failed check is a finding.
import CaseStore
import Foundation
import Gateway
import TestSupport
import Transfers

// libFuzzer calls the target from one thread only.
nonisolated(unsafe) private let importer: PackageImporter = {
    do {
        let schemas = try SchemaCatalog(directory: Fixtures.xsdDirectory)
        return PackageImporter(
            schemas: schemas, processor: DocumentProcessor(schemas: schemas), store: try CaseStore(),
            options: .init(receiverCode: "N07"))
    } catch {
        fatalError("fuzz: cannot set up the importer: \(error)")
    }
}()

/// The importer is async (the store interface is); libFuzzer's entry point is not. One input at
/// a time, so waiting on a semaphore for the task is safe here.
private func importBlocking(_ bytes: Data) -> Result<ImportOutcome, Error> {
    nonisolated(unsafe) var result: Result<ImportOutcome, Error>!
    let done = DispatchSemaphore(value: 0)
    Task {
        do { result = .success(try await importer.importPackage(bytes, fileName: "fuzz.y2a.zip")) } catch { result = .failure(error) }
        done.signal()
    }
    done.wait()
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackage(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Data(bytes: $0, count: count) } ?? Data()
    let messages: [String]
    do {
        let outcome = try importBlocking(bytes).get()
        if outcome.receipt.reasons.isEmpty != (outcome.receipt.decision == .accepted) {
            fatalError("fuzz: a receipt whose decision and reasons disagree")
        }
        messages = outcome.receipt.reasons.map(\.text)
    } catch {
        messages = ["\(error)"]  // no receipt possible (no TransferId anywhere): a thrown, reported answer
    }
    let problems = FuzzOracle.problems(messages: messages)
    if !problems.isEmpty { fatalError("fuzz: \(problems.joined(separator: "; "))") }
    return 0
}
