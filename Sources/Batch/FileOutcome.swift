/// What the batch did with one inbox file: the unit of the run report.
public enum FileOutcome: String, Sendable, Codable, CaseIterable {
    /// A valid assessment stored as a new case.
    case stored
    /// A valid assessment whose bytes were stored before (nothing stored twice).
    case duplicate
    /// A package accepted and answered with a receipt.
    case accepted
    /// A package rejected and answered with a receipt (file quarantined).
    case rejected
    /// A receipt applied to its transfer.
    case applied
    /// Invalid or unrecognised: quarantined with `<name>.findings.json`.
    case quarantined
    /// Could not be handled (I/O failure, vanished file): left in the inbox for the next run.
    case failed
    /// Dry run: what would be done.
    case wouldStore = "would-store", wouldQuarantine = "would-quarantine", wouldImport = "would-import", wouldApply = "would-apply", wouldMove = "would-move"

    /// Outcomes that put a file in quarantine (exit 1).
    public var isQuarantine: Bool { self == .quarantined || self == .rejected || self == .wouldQuarantine }
}

/// The kind of an inbox file, judged by its content (and `.y2a.zip` for packages).
public enum FileKind: String, Sendable, Codable {
    case assessment, package, receipt, unknown
}

/// One line of the run report: names, outcomes, codes and ids only (no personal data).
public struct FileEntry: Sendable, Codable, Hashable {
    public var name: String
    public var kind: FileKind?
    public var outcome: FileOutcome
    /// `archive/…` or `quarantine/…` once moved.
    public var movedTo: String?
    public var codes: [String]
    public var transferId: String?
    public var caseId: Int64?
    public var receipt: String?
    public var bytes: Int64
    /// Decided by an earlier, interrupted run; only moved (and its outputs rewritten) now.
    public var recovered: Bool
    /// For failures: the error code and what to do.
    public var error: String?

    public init(name: String, kind: FileKind? = nil, outcome: FileOutcome, movedTo: String? = nil, codes: [String] = [], transferId: String? = nil, caseId: Int64? = nil, receipt: String? = nil, bytes: Int64 = 0, recovered: Bool = false, error: String? = nil) {
        self.name = name
        self.kind = kind
        self.outcome = outcome
        self.movedTo = movedTo
        self.codes = codes
        self.transferId = transferId
        self.caseId = caseId
        self.receipt = receipt
        self.bytes = bytes
        self.recovered = recovered
        self.error = error
    }
}
