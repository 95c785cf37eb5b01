// libFuzzer target: the document path (sniff → validate → rules → map), as `y2a convert` runs it.
// Built only by Scripts/fuzz (Y2A_FUZZ=1, --sanitize=fuzzer --sanitize=address); libFuzzer
// supplies main. Every answer must pass FuzzOracle (one line, no personal value); a crash, an
// ASan report or a failed check is a finding, saved by Scripts/fuzz under Tests/Fuzz/Regressions.
import Findings
import Foundation
import Gateway
import TestSupport

// libFuzzer calls the target from one thread only.
nonisolated(unsafe) private let processor: DocumentProcessor = {
    do {
        return DocumentProcessor(schemas: try SchemaCatalog(directory: Fixtures.xsdDirectory))
    } catch {
        fatalError("fuzz: cannot compile the XSDs in \(Fixtures.xsdDirectory.path): \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocument(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let messages: [String]
    do {
        let processed = try processor.process(.data(bytes, name: "fuzz.xml"), convert: true)
        if processed.report.valid && processed.caseRecord == nil {
            fatalError("fuzz: a valid document without a case record")
        }
        messages = processed.report.findings.flatMap { [$0.message, $0.path ?? ""] }
    } catch {
        messages = ["\(error)"]  // a thrown GatewayError is an answer too; its text obeys the same rules
    }
    let problems = FuzzOracle.problems(messages: messages)
    if !problems.isEmpty { fatalError("fuzz: \(problems.joined(separator: "; "))") }
    return 0
}
