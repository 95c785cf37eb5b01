import ArgumentParser
import Foundation
import Gateway
import Transfers

extension Transfer {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Check a package addressed to us, store an accepted case, write the receipt.",
            discussion: """
                Runs every check of the contract in its order (the first that fails decides): \
                UNREADABLE, UNSAFE_ENTRY, TOO_LARGE, INVALID_MANIFEST, BAD_SIGNATURE, \
                WRONG_RECIPIENT, MISSING_FILE/UNLISTED_FILE, CHECKSUM_MISMATCH, \
                INVALID_ASSESSMENT, WRONG_STAGE, SUBJECT_MISMATCH, DUPLICATE. An accepted case \
                goes into the store in the same transaction as the decision. The receipt is always \
                written, as <TransferId>.receipt.xml in --receipts; the same package imported again \
                gets the same receipt and nothing is stored twice. Nothing from the package is \
                written to disk.

                Examples:
                  y2a transfer import inbox/8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33.y2a.zip --as N07 --receipts outbox
                  y2a transfer import PKG.y2a.zip --as N07 --trust trusted-keys --require-signature

                Exit: 0 accepted, 1 rejected, 2 usage, 3 I/O or store failure.
                """)

        @OptionGroup var reading: ReadingOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .customLong("as"), help: ArgumentHelp("Our organisation code (the recipient the package must name).", valueName: "code"))
        var receiver: String

        @Option(name: .customLong("as-name"), help: ArgumentHelp("Our name for the receipt (default: the name the manifest gives us).", valueName: "name"))
        var receiverName: String?

        @Option(help: ArgumentHelp("Trust store: a folder of <CODE>.pub keys.", valueName: "dir"))
        var trust: String?

        @Flag(help: "Reject packages without a valid signature.")
        var requireSignature = false

        @Option(help: ArgumentHelp("Folder for the receipt (default: here).", valueName: "dir"))
        var receipts: String = "."

        @Option(help: ArgumentHelp("Largest package file, in bytes.", valueName: "bytes"))
        var maxPackageBytes: Int64 = PackageLimits.contractDefault.maxPackageBytes

        @Option(help: ArgumentHelp("Largest entry once inflated, in bytes.", valueName: "bytes"))
        var maxEntryBytes: Int64 = PackageLimits.contractDefault.maxEntryBytes

        @Option(help: ArgumentHelp("Largest sum of inflated entries, in bytes.", valueName: "bytes"))
        var maxTotalBytes: Int64 = PackageLimits.contractDefault.maxTotalBytes

        @Option(help: "Largest compression ratio of an entry (inflated : compressed).")
        var maxRatio: Int64 = PackageLimits.contractDefault.maxRatio

        @Argument(help: ArgumentHelp("The package (<TransferId>.y2a.zip).", valueName: "package"))
        var package: String

        func validate() throws {
            guard isOrganisationCode(receiver) else { throw ValidationError("--as must be an organisation code of 3 to 8 capital letters or digits (e.g. N07)") }
            if let receiverName, !(1...200).contains(receiverName.count) { throw ValidationError("--as-name must be 1 to 200 characters") }
            guard maxPackageBytes > 0, maxEntryBytes > 0, maxTotalBytes > 0, maxRatio > 0 else {
                throw ValidationError("package limits must be positive numbers")
            }
        }

        func run() async throws {
            // Before anything is opened: a FIFO named here would block the read forever.
            try refuseNonRegularInputs([package], command: "y2a transfer import")
            let (schemas, processor) = try reading.makeProcessor()
            let store = try await storeOptions.open()
            let limits = PackageLimits(maxPackageBytes: maxPackageBytes, maxEntryBytes: maxEntryBytes, maxTotalBytes: maxTotalBytes, maxRatio: maxRatio)
            let importer = PackageImporter(
                schemas: schemas, processor: processor, store: store,
                options: .init(
                    receiverCode: receiver, receiverName: receiverName, trustStore: trust.map { URL(fileURLWithPath: $0) },
                    requireSignature: requireSignature, limits: limits))
            let outcome: ImportOutcome
            do {
                outcome = try await importer.importPackage(at: URL(fileURLWithPath: package))
            } catch let unanswerable as UnanswerablePackage {
                for reason in unanswerable.reasons {
                    printError("\(package): rejected[\(reason.code.rawValue)]: \(reason.text)")
                }
                printError("y2a transfer import: no receipt written: the TransferId is unknown (neither the manifest nor the file name gives it)")
                throw ExitCode(ExitStatus.invalidInput)
            } catch {
                let why = FileManager.default.fileExists(atPath: package) ? "\(error)" : "cannot read it: there is no such file"
                printError("y2a transfer import: \(package): \(why)")
                throw ExitCode(ExitStatus.failure)
            }
            let receipt = outcome.receipt
            let destination = URL(fileURLWithPath: receipts).appendingPathComponent(receipt.fileName)
            do {
                try AtomicFile.write(outcome.receiptXML, to: destination)
            } catch {
                printError("y2a: \(error) (the decision is recorded: import the package again to write its receipt)")
                throw ExitCode(ExitStatus.failure)
            }
            let again = outcome.repeated ? " (decided before: the earlier receipt again, nothing stored twice)" : ""
            switch receipt.decision {
            case .accepted:
                print("\(package): transfer \(receipt.transferId) Accepted\(again); case \(outcome.caseId.map(String.init) ?? "-") in the store; receipt \(destination.path)")
            case .rejected:
                for reason in receipt.reasons {
                    printError("\(package): rejected[\(reason.code.rawValue)]: \(reason.text)")
                }
                print("\(package): transfer \(receipt.transferId) Rejected\(again); receipt \(destination.path)")
                throw ExitCode(ExitStatus.invalidInput)
            }
        }
    }
}
