import BuildInfo
import CaseRecord
public import Foundation
import Findings

/// Totals over a run of `y2a validate` or `y2a convert`.
public struct RunSummary: Sendable, Codable {
    public var files = 0
    public var valid = 0
    public var invalid = 0
    /// Files that could not be read at all (I/O failures).
    public var failed = 0
    public var errors = 0
    public var warnings = 0
    public var bytes: Int64 = 0
    public var seconds: Double = 0

    public init() {}

    public mutating func add(_ outcome: BatchValidator.Outcome) {
        files += 1
        switch outcome {
        case .success(let document):
            if document.report.valid { valid += 1 } else { invalid += 1 }
            errors += document.report.errorCount
            warnings += document.report.warningCount
            bytes += document.report.bytes
        case .failure:
            failed += 1
        }
    }

    /// `12 files: 9 valid, 3 invalid (14 errors, 2 warnings) in 0.21 s`.
    public var line: String {
        var text = "\(files) file\(files == 1 ? "" : "s"): \(valid) valid, \(invalid) invalid"
        if failed > 0 { text += ", \(failed) unreadable" }
        text += " (\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"))"
        text += String(format: " in %.2f s", seconds)
        return text
    }
}

/// Renders reports the way compilers do, so editors and people both read them.
public enum ReportFormatter {
    /// `path:line:column: severity[CODE]: message (element path)`, one line per finding.
    public static func lines(for report: DocumentReport) -> [String] {
        var lines = report.findings.map { finding -> String in
            let location = finding.line.map { ":\($0):\(finding.column ?? 0)" } ?? ""
            let element = finding.path.map { " (\($0))" } ?? ""
            return "\(report.path)\(location): \(finding.severity.rawValue)[\(finding.code)]: \(finding.message)\(element)"
        }
        if report.moreFindings > 0 {
            lines.append("\(report.path): note: and \(report.moreFindings) more finding\(report.moreFindings == 1 ? "" : "s") not listed (raise --max-findings to see them)")
        }
        return lines
    }

    public static func line(for failure: GatewayError) -> String {
        "\(failure.path ?? "-"): failure[\(failure.code)]: \(failure.message)"
    }

    /// The JSON document of a run: `{"files": [...], "summary": {...}, "y2a": {...}}`, keys
    /// sorted; `y2a` is the build that wrote it (`BuildInfo`).
    public static func json(_ outcomes: [BatchValidator.Outcome], summary: RunSummary, outputs: [Int: String] = [:]) throws -> Data {
        struct FileEntry: Encodable {
            var path: String
            var format: String?
            var valid: Bool
            var findings: [Finding]
            var moreFindings: Int
            var bytes: Int64
            var failure: String?
            var output: String?
        }
        struct Run: Encodable {
            var files: [FileEntry]
            var summary: RunSummary
            var y2a = BuildInfo.current
        }
        let files = outcomes.enumerated().map { index, outcome -> FileEntry in
            switch outcome {
            case .success(let document):
                let r = document.report
                return FileEntry(path: r.path, format: r.format?.rawValue, valid: r.valid, findings: r.findings, moreFindings: r.moreFindings, bytes: r.bytes, failure: nil, output: outputs[index])
            case .failure(let error):
                return FileEntry(path: error.path ?? "", format: nil, valid: false, findings: [], moreFindings: 0, bytes: 0, failure: "\(error.code): \(error.message)", output: nil)
            }
        }
        return try CanonicalJSON.encode(Run(files: files, summary: summary))
    }
}
