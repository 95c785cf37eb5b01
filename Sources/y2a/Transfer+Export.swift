import CaseRecord
import ArgumentParser
import CaseStore
import Foundation
import Gateway
import Transfers

extension Transfer {
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a transfer package from a valid assessment and record it as awaiting.",
            discussion: """
                Validates the assessment exactly as the receiver will, refuses it (exit 1) when it \
                is invalid (INVALID_ASSESSMENT) or its stage does not fit the kind or is Cancelled \
                (WRONG_STAGE), then writes <TransferId>.y2a.zip to --out (atomically, mode 0600) \
                and records the transfer in the store as awaiting. The sender's code and name come \
                from the assessment's organisation.

                Examples:
                  y2a transfer export AssetPlus.XML --kind YouthToAdult --to N07 --to-name "Northtown PDU" --out outbox
                  y2a transfer export Asset.XML --kind YotToYot --to C41 --to-name "Eastvale YOT" --attach plan.pdf --key keys/B23.key

                Exit: 0 built, 1 refused, 2 usage, 3 I/O, store or NOCO failure.
                """)

        @OptionGroup var reading: ReadingOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "YotToYot or YouthToAdult.")
        var kind: String

        @Option(help: ArgumentHelp("The recipient's organisation code (e.g. N07).", valueName: "code"))
        var to: String

        @Option(help: ArgumentHelp("The recipient's name.", valueName: "name"))
        var toName: String

        @Option(help: ArgumentHelp("A file to attach (repeatable).", valueName: "file"))
        var attach: [String] = []

        @Option(help: ArgumentHelp("Sign the manifest with this Ed25519 private key (from `y2a transfer keygen`).", valueName: "keyfile"))
        var key: String?

        @Option(help: ArgumentHelp("Folder for the package (default: here).", valueName: "dir"))
        var out: String = "."

        @Argument(help: ArgumentHelp("The assessment (Asset.XML or AssetPlus.XML).", valueName: "file"))
        var file: String

        func validate() throws {
            guard TransferKind(rawValue: kind) != nil else { throw ValidationError("--kind must be YotToYot or YouthToAdult") }
            guard isOrganisationCode(to) else { throw ValidationError("--to must be an organisation code of 3 to 8 capital letters or digits (e.g. N07)") }
            guard (1...200).contains(toName.count) else { throw ValidationError("--to-name must be 1 to 200 characters") }
        }

        func run() async throws {
            try refuseNonRegularInputs([file] + attach + (key.map { [$0] } ?? []), command: "y2a transfer export")
            let (schemas, processor) = try reading.makeProcessor()
            let request: PackageBuilder.Request
            var reading = file  // the input being read, named if it fails
            do {
                let assessment = try Data(contentsOf: URL(fileURLWithPath: file))
                var attachments: [PackageBuilder.Attachment] = []
                for path in attach {
                    reading = path
                    attachments.append(.init(name: URL(fileURLWithPath: path).lastPathComponent, bytes: try Data(contentsOf: URL(fileURLWithPath: path))))
                }
                if let key { reading = key }
                let signingKey = try key.map { try SigningKeys.privateKey(from: Data(contentsOf: URL(fileURLWithPath: $0))) }
                request = PackageBuilder.Request(
                    assessment: assessment, assessmentName: file, kind: TransferKind(rawValue: kind)!,
                    recipient: Organisation(code: to, name: toName), attachments: attachments, signingKey: signingKey)
            } catch {
                let why = FileManager.default.fileExists(atPath: reading) ? error.localizedDescription : "there is no such file"
                printError("y2a transfer export: cannot read \(reading): \(why); no package was built")
                throw ExitCode(ExitStatus.failure)
            }
            let store = try await storeOptions.open()
            let built: PackageBuilder.Built
            do {
                built = try PackageBuilder(schemas: schemas, processor: processor, noco: nocoProvider).build(request)
            } catch let rejection as PackageRejection {
                printRejection(rejection, file: file)
                printError("y2a transfer export: refused; no package was built")
                throw ExitCode(ExitStatus.invalidInput)
            } catch {
                printError("y2a transfer export: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
            let destination = URL(fileURLWithPath: out).appendingPathComponent(built.manifest.packageFileName)
            do {
                try AtomicFile.write(built.package, to: destination)
            } catch {
                printError("y2a: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
            do {
                try await TransferLedger(store: store).recordExport(built.manifest, documentId: built.record.source.documentId, packageSha256: built.packageSha256)
            } catch {
                // A package the ledger does not know would never be tracked: take it back.
                try? FileManager.default.removeItem(at: destination)
                printError("y2a: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
            for finding in built.report.findings {
                printError("\(file):\(finding)")
            }
            print("\(destination.path): transfer \(built.manifest.transferId) (\(kind) from \(built.manifest.sender.code) to \(to)) is awaiting")
        }
    }
}
