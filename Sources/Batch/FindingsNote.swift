import CaseRecord
import Findings
import Foundation

/// `<name>.findings.json`, beside a quarantined file: why it is there, in codes, lines and
/// plain words. Derived only from the decision (no clock, no run id), so the bytes are the
/// same however often it is written; messages never carry a value from the document.
struct FindingsNote: Encodable {
    var file: String
    var sha256: String
    var kind: FileKind
    var outcome: FileOutcome
    var transferId: String?
    var findings: [Finding]
    var moreFindings: Int

    func json() throws -> Data {
        try CanonicalJSON.encode(self)
    }
}
