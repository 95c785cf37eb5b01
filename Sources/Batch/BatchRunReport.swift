public import BuildInfo
import CaseRecord
public import Foundation

/// What one run did: every file handled (names, outcomes, codes, ids; no personal data),
/// counts, speed, and the failure that stopped it, if any.
public struct BatchRunReport: Sendable, Codable {
    /// The exit codes of `y2a batch`: the contract with cron.
    public enum ExitCode {
        /// Every file stored, imported or applied.
        public static let ok: Int32 = 0
        /// Some files were quarantined (or packages rejected).
        public static let quarantined: Int32 = 1
        /// The run failed part-way, or a file could not be handled: see the report.
        public static let failure: Int32 = 3
        /// Another run holds the lock: this one did nothing.
        public static let locked: Int32 = 4
    }

    public var runId: Int64?
    public var startedAt: String
    public var dryRun: Bool
    public var files: [FileEntry]
    /// Files left in the inbox for a later run: uploads in progress, or not yet settled.
    public var leftForLater: Int
    /// Files not reached because the run stopped.
    public var notStarted: Int
    public var seconds: Double
    /// The failure that stopped the run.
    public var failure: String?
    public var reportFiles: [String] = []
    /// The build that ran (`nil` in a report written before reports carried it).
    public var y2a: BuildInfo? = .current

    public var bytes: Int64 { files.reduce(0) { $0 + $1.bytes } }
    public var filesPerSecond: Double { seconds > 0 ? Double(files.count) / seconds : 0 }
    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / 1_000_000 / seconds : 0 }

    /// Files per outcome (only outcomes that occurred).
    public var counts: [String: Int] {
        files.reduce(into: [:]) { $0[$1.outcome.rawValue, default: 0] += 1 }
    }

    public var exitStatus: Int32 {
        if failure != nil || files.contains(where: { $0.outcome == .failed }) { return ExitCode.failure }
        if files.contains(where: { $0.outcome.isQuarantine }) { return ExitCode.quarantined }
        return ExitCode.ok
    }

    /// `stored 12, quarantined 3, failed 1`, in a fixed order.
    public var countsLine: String {
        let counts = self.counts
        let parts = FileOutcome.allCases.compactMap { outcome in counts[outcome.rawValue].map { "\(outcome.rawValue) \($0)" } }
        return parts.isEmpty ? "nothing to do" : parts.joined(separator: ", ")
    }

    /// The summary printed on stdout.
    public var text: String {
        var lines: [String] = []
        let label = dryRun ? "y2a batch (dry run, nothing changed)" : "y2a batch run \(runId ?? 0)"
        lines.append("\(label) at \(startedAt): \(files.count) file\(files.count == 1 ? "" : "s") in \(String(format: "%.2f", seconds)) s (\(String(format: "%.1f", filesPerSecond)) files/s, \(String(format: "%.2f", megabytesPerSecond)) MB/s)")
        lines.append("  \(countsLine)")
        let recovered = files.filter(\.recovered).count
        if recovered > 0 { lines.append("  \(recovered) decided by an interrupted run and moved now") }
        if leftForLater > 0 { lines.append("  \(leftForLater) left in the inbox for a later run (being written or not settled yet)") }
        if notStarted > 0 { lines.append("  \(notStarted) not reached: the run stopped; the next run takes them") }
        for entry in files where entry.outcome == .failed {
            lines.append("  failed: \(entry.error ?? entry.name)")
        }
        if let failure { lines.append("  run stopped: \(failure)") }
        if !reportFiles.isEmpty { lines.append("  reports: \(reportFiles.joined(separator: ", "))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line per file, for a dry run's plan.
    public var plan: String {
        files.map { entry in
            var line = "\(entry.name): \(entry.outcome.rawValue)"
            if let to = entry.movedTo { line += " → \(to)" }
            if !entry.codes.isEmpty { line += " [\(entry.codes.joined(separator: " "))]" }
            if let error = entry.error { line += " (\(error))" }
            return line
        }.joined(separator: "\n") + (files.isEmpty ? "" : "\n")
    }

    public func json() throws -> Data {
        struct Document: Encodable {
            var report: BatchRunReport
            var counts: [String: Int]
            var bytes: Int64
            var filesPerSecond: Double
            var megabytesPerSecond: Double
            var exitStatus: Int32
        }
        return try CanonicalJSON.encode(Document(report: self, counts: counts, bytes: bytes, filesPerSecond: filesPerSecond, megabytesPerSecond: megabytesPerSecond, exitStatus: exitStatus))
    }
}
