import ArgumentParser
import BuildInfo
import CaseStorePostgres
import Foundation

/// Named exit codes: the contract with scripts and cron.
enum ExitStatus {
    /// Everything valid (warnings allowed).
    static let ok: Int32 = 0
    /// Some input was invalid (findings reported).
    static let invalidInput: Int32 = 1
    /// The command line was wrong.
    static let usage: Int32 = 2
    /// I/O or internal failure: a file could not be read or written, schemas missing.
    static let failure: Int32 = 3
}

@main
struct Y2A: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "y2a",
        abstract: "Validate and convert Asset.XML and AssetPlus.XML youth justice assessments.",
        discussion: """
            Y2A Gateway checks assessments exported by YOT case management systems against the \
            interchange contract (XSD and the frameworks' own rules) and maps both formats into \
            one case record for the Y2A (youth to adult) portal view.

            Exit codes: 0 all valid (warnings allowed), 1 invalid input found, 2 usage error, \
            3 I/O or internal failure, 4 (batch only) another run holds the lock.

            Examples:
              y2a validate SampleFiles
              y2a validate --format json exports/ > findings.json
              y2a convert AssetPlus.XML > case.json
              y2a convert --out cases/ exports/
              y2a import SampleFiles/valid && y2a serve
              y2a view AssetPlus.XML -o case.html
              y2a noco AssetPlus.XML --to N07 --to-name "Northtown PDU" --out transfer/
              y2a transfer export AssetPlus.XML --kind YouthToAdult --to N07 --to-name "Northtown PDU"
              y2a batch --config /etc/y2a/batch.toml
              y2a codes
              y2a --version
            """,
        version: BuildInfo.current.versionText,
        subcommands: [Validate.self, Convert.self, Import.self, Serve.self, View.self, Noco.self, Transfer.self, Batch.self, Users.self, Orgs.self, TokensCommand.self, Audit.self, StoreCommand.self, Codes.self]
    )

    /// Like `ParsableCommand.main()`, but a usage error exits 2 (argument-parser's default is 64).
    static func main() async {
        // Children's records: every file and folder this process creates is private (0600/0700).
        umask(0o077)
        // A postgres:// store address opens the PostgreSQL engine.
        PostgresStore.register()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
