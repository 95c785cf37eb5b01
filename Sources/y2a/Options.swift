import ArgumentParser
import AssetPlusFormat
import Foundation
import Gateway
import XMLSupport

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Options shared by every command that reads assessments.
struct ReadingOptions: ParsableArguments {
    @Option(name: .customLong("schemas"), help: ArgumentHelp("Folder holding the project's XSDs.", valueName: "dir"))
    var schemaDirectory: String?

    @Option(help: ArgumentHelp("Countersignature policy file (JSON) with the YOT's AP-COUNTERSIGN triggers.", valueName: "file"))
    var policy: String?

    @Option(name: .customShort("j"), help: "Documents processed at once (default: one per core).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Largest document read, in bytes.", valueName: "bytes"))
    var maxFileSize: Int64 = XMLLimits.default.maxDocumentBytes

    @Option(help: "Deepest element nesting accepted.")
    var maxDepth: Int = XMLLimits.default.maxDepth

    @Option(help: ArgumentHelp("Longest text node or attribute accepted, in bytes.", valueName: "bytes"))
    var maxText: Int = XMLLimits.default.maxTextBytes

    @Option(help: "Most attributes on one element (counted before the parser sees the tag).")
    var maxAttributes: Int = XMLLimits.default.maxAttributes

    @Option(help: "Findings listed per file; the rest are counted.")
    var maxFindings: Int = XMLLimits.default.maxFindings

    @Flag(help: "No progress line on the terminal.")
    var quiet = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard maxFileSize > 0, maxDepth > 0, maxText > 0, maxFindings > 0, maxAttributes > 0 else {
            throw ValidationError("limits must be positive numbers")
        }
    }

    /// The validator these options describe, with its schemas compiled once.
    func makeValidator() throws(GatewayError) -> BatchValidator {
        let schemas = try SchemaCatalog.load(explicit: schemaDirectory)
        return BatchValidator(schemas: schemas, options: try processingOptions(), jobs: jobs)
    }

    /// The limits and countersignature policy these options describe.
    func processingOptions() throws(GatewayError) -> ProcessingOptions {
        var countersign = CountersignPolicy.contractDefault
        if let policy {
            do {
                countersign = try CountersignPolicy.load(from: URL(fileURLWithPath: policy))
            } catch {
                throw GatewayError(code: "POLICY", message: "cannot read the countersignature policy: it must be a JSON object such as {\"riskOfSeriousHarm\": [\"High\", \"VeryHigh\"]}", path: policy)
            }
        }
        let limits = XMLLimits(maxDocumentBytes: maxFileSize, maxDepth: maxDepth, maxTextBytes: maxText, maxFindings: maxFindings, maxAttributes: maxAttributes)
        return ProcessingOptions(limits: limits, countersignPolicy: countersign)
    }
}

/// Prints to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes bytes to standard output.
func writeOutput(_ data: Data) {
    FileHandle.standardOutput.write(data)
}
