// libFuzzer target: the package importer (every check of the contract, then the store), on
// package bytes. Built only by Scripts/fuzz (Y2A_FUZZ=1, -sanitize=fuzzer,address).
import CaseStore
import Foundation
import Gateway
import Transfers

private let importer: PackageImporter = {
    let directory = ProcessInfo.processInfo.environment["Y2A_SCHEMAS"] ?? "XSD"
    do {
        let schemas = try SchemaCatalog(directory: URL(fileURLWithPath: directory))
        return PackageImporter(
            schemas: schemas, processor: DocumentProcessor(schemas: schemas), store: try CaseStore(),
            options: .init(receiverCode: "N07"))
    } catch {
        fatalError("fuzz: cannot set up the importer (set Y2A_SCHEMAS to the XSD folder): \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackage(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        let outcome = try importer.importPackage(bytes, fileName: "fuzz.y2a.zip")
        // Every package is answered: rejected with at least one reason, or accepted with none.
        if outcome.receipt.reasons.isEmpty != (outcome.receipt.decision == .accepted) {
            fatalError("fuzz: a receipt whose decision and reasons disagree")
        }
    } catch {
        // No receipt possible (no TransferId anywhere): a thrown, reported answer.
    }
    return 0
}
