import ArgumentParser
import Foundation
import Gateway

/// What validate, convert and import share: the validator and the expanded inputs, then one
/// report of every outcome with its summary line and the exit status it implies.
struct DocumentRun {
    let validator: BatchValidator
    let files: [String]
    let started = DispatchTime.now()

    /// Compiles the schemas and expands the paths; a failure is printed and exits 3.
    init(_ reading: ReadingOptions, paths: [String]) throws {
        do {
            validator = try reading.makeValidator()
            files = try BatchValidator.expand(paths)
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }

    /// The run's totals.
    func summary(_ outcomes: [BatchValidator.Outcome]) -> RunSummary {
        var summary = RunSummary()
        outcomes.forEach { summary.add($0) }
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return summary
    }

    /// The report: JSON, or one compiler-style line per finding then the summary line.
    /// `notes` adds a line after a file's findings (where its output went).
    func report(
        _ outcomes: [BatchValidator.Outcome], summary: RunSummary, format: OutputFormat,
        notes: [Int: String] = [:], verb: String = "valid", trailer: String = ""
    ) throws -> Data {
        if format == .json {
            return try ReportFormatter.json(outcomes, summary: summary, outputs: notes)
        }
        var text = ""
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let document):
                for line in ReportFormatter.lines(for: document.report) { text += line + "\n" }
                if let note = notes[index] { text += "\(files[index]): \(note)\n" }
            case .failure(let error):
                text += ReportFormatter.line(for: error) + "\n"
            }
        }
        text += summary.line.replacingOccurrences(of: " valid,", with: " \(verb),") + trailer + "\n"
        return Data(text.utf8)
    }

    /// 3 if anything could not be read or written, 1 if anything was invalid, else success.
    static func exit(for summary: RunSummary) throws {
        if summary.failed > 0 { throw ExitCode(ExitStatus.failure) }
        if summary.invalid > 0 { throw ExitCode(ExitStatus.invalidInput) }
    }
}
