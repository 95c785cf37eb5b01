public import CaseRecord
public import Findings

/// What validating one document found: the unit of `y2a validate` output.
public struct DocumentReport: Sendable, Codable {
    public var path: String
    /// The recognised framework, or nil when the document could not be recognised.
    public var format: Framework?
    public var valid: Bool
    public var findings: [Finding]
    /// Findings beyond the per-file cap: counted, not listed.
    public var moreFindings: Int
    public var bytes: Int64

    public init(path: String, format: Framework?, findings: [Finding], moreFindings: Int, bytes: Int64) {
        self.path = path
        self.format = format
        self.findings = findings.sortedForReport()
        self.valid = findings.isValid && !(moreFindings > 0 && findings.isEmpty)
        self.moreFindings = moreFindings
        self.bytes = bytes
    }

    public var errorCount: Int { findings.filter(\.isError).count }
    public var warningCount: Int { findings.count - errorCount }
}
