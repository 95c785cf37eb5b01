// libFuzzer target: the document path (sniff → validate → rules → map), as `y2a convert` runs it.
// Built only by Scripts/fuzz (Y2A_FUZZ=1, -sanitize=fuzzer,address, -parse-as-library).
import Findings
import Foundation
import Gateway

private let processor: DocumentProcessor = {
    let directory = ProcessInfo.processInfo.environment["Y2A_SCHEMAS"] ?? "XSD"
    do {
        return DocumentProcessor(schemas: try SchemaCatalog(directory: URL(fileURLWithPath: directory)))
    } catch {
        fatalError("fuzz: cannot compile the XSDs in \(directory) (set Y2A_SCHEMAS): \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocument(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    do {
        let processed = try processor.process(.data(bytes, name: "fuzz.xml"), convert: true)
        for finding in processed.report.findings {
            // Findings are one line, always (a raw newline breaks the compiler-style format).
            if finding.description.contains("\n") || finding.description.contains("\r") {
                fatalError("fuzz: a finding spans lines: \(finding.code)")
            }
        }
        if processed.report.valid != (processed.caseRecord != nil) {
            fatalError("fuzz: a valid document without a case record, or the reverse")
        }
    } catch {
        // A thrown GatewayError is an answer too (for example an internal failure, reported).
    }
    return 0
}
