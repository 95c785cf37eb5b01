public import CaseRecord
public import Foundation
public import Gateway
import Findings

/// The checks on the assessment that sender and receiver both make, with the receiver's
/// reason codes: INVALID_ASSESSMENT and WRONG_STAGE.
public enum AssessmentCheck {
    /// Validates the assessment and maps it to its case record (INVALID_ASSESSMENT when it is
    /// not valid, or not of the `expected` framework).
    public static func validate(
        _ bytes: Data, name: String, expected: Framework?, processor: DocumentProcessor
    ) throws(PackageRejection) -> (record: CaseRecord, report: DocumentReport) {
        let processed: ProcessedDocument
        do {
            processed = try processor.process(.data([UInt8](bytes), name: name), convert: true)
        } catch {
            throw PackageRejection(.invalidAssessment, "The assessment could not be read (\(error.code)).")
        }
        let report = processed.report
        guard report.valid, let record = processed.caseRecord else {
            let errors = report.findings.filter(\.isError)
            let first = errors.first.map { ": first \($0)" } ?? ""
            throw PackageRejection(
                .invalidAssessment,
                "The assessment is not valid (\(errors.count + report.moreFindings) error\(errors.count == 1 ? "" : "s")\(first)).",
                findings: report.findings)
        }
        if let expected, record.source.format != expected {
            throw PackageRejection(.invalidAssessment, "The assessment is an \(record.source.format.rawValue) document, but the manifest says \(expected.rawValue).")
        }
        return (record, report)
    }

    /// The stage a transfer of `kind` needs for the record's framework.
    public static func requiredStage(for kind: TransferKind, framework: Framework) -> String {
        switch (kind, framework) {
        case (.youthToAdult, .assetPlus): "TransferToProbation"
        case (.youthToAdult, .asset): "TransferToAdult"
        case (.yotToYot, .assetPlus): "TransferYotToYot"
        case (.yotToYot, .asset): "YotTransfer"
        }
    }

    /// WRONG_STAGE: a cancelled stage, or a stage (Asset: form) that does not match the kind.
    public static func checkStage(_ record: CaseRecord, kind: TransferKind) throws(PackageRejection) {
        let stage = record.assessment.stage
        if record.assessment.status == "Cancelled" {
            throw PackageRejection(.wrongStage, "The assessment's \(stage) stage is Cancelled; a cancelled stage is not part of the case and cannot be transferred.")
        }
        let required = requiredStage(for: kind, framework: record.source.format)
        guard stage == required else {
            let what = record.source.format == .asset ? "form" : "stage"
            let transfer = kind == .youthToAdult ? "a youth-to-adult transfer" : "a YOT-to-YOT transfer"
            throw PackageRejection(.wrongStage, "The assessment's \(what) is \(stage); \(transfer) needs a \(required) \(what).")
        }
    }
}
