public import Foundation
import XMLSupport

/// What `y2a --version` says, and what the JSON outputs, the batch report and a service's health
/// check carry: the version (`VERSION`), the git commit and the build date, stamped at build time
/// (`Plugins/StampBuildInfo`), and the libxml2 in use at run time.
public struct BuildInfo: Sendable, Hashable, Codable {
    /// The release, from the checkout's `VERSION` file (e.g. `0.9.0`).
    public var version: String
    /// The git commit built, abbreviated; `-dirty` when tracked files were modified; `unknown`
    /// outside a git checkout.
    public var commit: String
    /// The UTC day of the build (`YYYY-MM-DD`), or `SOURCE_DATE_EPOCH`'s for a reproducible one.
    public var buildDate: String
    /// The libxml2 loaded at run time (e.g. `2.9.14`).
    public var libxml2: String

    public init(version: String, commit: String, buildDate: String, libxml2: String) {
        self.version = version
        self.commit = commit
        self.buildDate = buildDate
        self.libxml2 = libxml2
    }

    /// This build of y2a.
    public static let current = BuildInfo(
        version: BuildStamp.version, commit: BuildStamp.commit, buildDate: BuildStamp.buildDate, libxml2: XMLLibrary.version)

    /// `y2a 0.9.0 (commit 06cad78b38d4, built 2026-12-02, libxml2 2.9.14)`: one line for
    /// `--version`, report headers and logs.
    public var line: String {
        "y2a \(version) (commit \(commit), built \(buildDate), libxml2 \(libxml2))"
    }

    /// What `y2a --version` prints: one `name value` line each.
    public var versionText: String {
        "y2a \(version)\ncommit \(commit)\nbuilt \(buildDate)\nlibxml2 \(libxml2)"
    }

    /// The same as a JSON-ready dictionary, keys sorted when encoded.
    public var dictionary: [String: String] {
        ["version": version, "commit": commit, "buildDate": buildDate, "libxml2": libxml2]
    }
}
