/// The reason codes of the contract's import checks, in their order.
public enum ReasonCode: String, Sendable, Codable, Hashable, CaseIterable {
    case unreadable = "UNREADABLE"
    case unsafeEntry = "UNSAFE_ENTRY"
    case tooLarge = "TOO_LARGE"
    case invalidManifest = "INVALID_MANIFEST"
    case badSignature = "BAD_SIGNATURE"
    case wrongRecipient = "WRONG_RECIPIENT"
    case missingFile = "MISSING_FILE"
    case unlistedFile = "UNLISTED_FILE"
    case checksumMismatch = "CHECKSUM_MISMATCH"
    case invalidAssessment = "INVALID_ASSESSMENT"
    case wrongStage = "WRONG_STAGE"
    case subjectMismatch = "SUBJECT_MISMATCH"
    case duplicate = "DUPLICATE"
}

/// One reason for a decision: a code and a plain-words explanation with no personal data.
public struct Reason: Sendable, Codable, Hashable, CustomStringConvertible {
    public var code: ReasonCode
    public var text: String

    public init(_ code: ReasonCode, _ text: String) {
        self.code = code
        self.text = text
    }

    public var description: String { "\(code.rawValue): \(text)" }
}

/// The receiver's decision.
public enum Decision: String, Sendable, Codable, Hashable {
    case accepted = "Accepted"
    case rejected = "Rejected"
}

/// `receipt.xml`: the receiver's answer to one package.
public struct TransferReceipt: Sendable, Hashable {
    public var transferId: String
    public var decision: Decision
    /// `xs:dateTime` with a zone, as written.
    public var decidedAt: String
    public var decidedBy: Organisation
    public var reasons: [Reason]

    public init(transferId: String, decision: Decision, decidedAt: String, decidedBy: Organisation, reasons: [Reason]) {
        self.transferId = transferId
        self.decision = decision
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.reasons = reasons
    }

    /// The receipt's file name: `<TransferId>.receipt.xml`.
    public var fileName: String { "\(transferId).receipt.xml" }
}
