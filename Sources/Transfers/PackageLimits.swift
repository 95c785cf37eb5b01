public import Findings

/// Limits on what reading one package may cost, judged while reading: bytes actually read
/// from the file and bytes actually inflated, never the sizes a ZIP header claims.
public struct PackageLimits: Sendable, Hashable {
    /// Largest package file, in bytes (contract default 200 MiB).
    public var maxPackageBytes: Int64
    /// Largest entry once inflated, in bytes (contract default 100 MiB).
    public var maxEntryBytes: Int64
    /// Largest sum of all entries once inflated, in bytes (reading: the package default, 200 MiB).
    public var maxTotalBytes: Int64
    /// Largest ratio of inflated to compressed bytes, per entry (contract default 100:1).
    public var maxRatio: Int64

    public init(
        maxPackageBytes: Int64 = 200 << 20, maxEntryBytes: Int64 = 100 << 20,
        maxTotalBytes: Int64 = 200 << 20, maxRatio: Int64 = 100
    ) {
        self.maxPackageBytes = maxPackageBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxRatio = maxRatio
    }

    public static let contractDefault = PackageLimits()
}

/// A package rejected by one of the contract's checks: the reasons of the first check that failed.
public struct PackageRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var reasons: [Reason]
    /// For INVALID_ASSESSMENT: the assessment's findings (codes, lines and paths; no values).
    public var findings: [Finding] = []

    public init(_ code: ReasonCode, _ text: String, findings: [Finding] = []) {
        reasons = [Reason(code, text)]
        self.findings = findings
    }

    public init(reasons: [Reason]) {
        self.reasons = reasons
    }

    public var description: String { reasons.map(\.description).joined(separator: "; ") }
}
