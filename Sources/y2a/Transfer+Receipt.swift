import ArgumentParser
import Foundation
import Transfers

extension Transfer {
    struct Receipt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a receiver's receipt: transferred → accepted or rejected.",
            discussion: """
                Validates receipt.xml against the contract. A Rejected receipt without a Reason, a \
                receipt for an unknown transfer or from another organisation than the recipient is \
                refused (exit 1) and the status does not change. A rejection's reasons are kept.

                Example:
                  y2a transfer receipt inbox/8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33.receipt.xml

                Exit: 0 applied, 1 refused, 3 I/O or store failure.
                """)

        @OptionGroup var reading: ReadingOptions
        @OptionGroup var storeOptions: StoreOptions

        @Argument(help: ArgumentHelp("The receipt (<TransferId>.receipt.xml).", valueName: "receipt"))
        var receipt: String

        func run() async throws {
            try refuseNonRegularInputs([receipt], command: "y2a transfer receipt")
            let (schemas, _) = try reading.makeProcessor()
            let ledger = TransferLedger(store: try await storeOptions.open())
            let bytes: Data
            do {
                bytes = try Data(contentsOf: URL(fileURLWithPath: receipt))
            } catch {
                let why = FileManager.default.fileExists(atPath: receipt) ? error.localizedDescription : "there is no such file"
                printError("y2a transfer receipt: cannot read \(receipt): \(why)")
                throw ExitCode(ExitStatus.failure)
            }
            do {
                let (applied, row) = try await ledger.apply(receipt: bytes, name: receipt, schemas: schemas)
                print("transfer \(row.transferId): \(applied.decision.rawValue) by \(applied.decidedBy.code); status \(row.status)")
                for reason in applied.reasons {
                    print("  \(reason.code.rawValue): \(reason.text)")
                }
            } catch let error as TransferDocumentError {
                printError("y2a transfer receipt: refused: \(error); the status did not change")
                throw ExitCode(ExitStatus.invalidInput)
            } catch let error as TransferRefusal {
                printError("y2a transfer receipt: refused: \(error); the status did not change")
                throw ExitCode(ExitStatus.invalidInput)
            } catch let error as TransferMoveError {
                printError("y2a transfer receipt: refused: \(error)")
                throw ExitCode(ExitStatus.invalidInput)
            } catch {
                printError("y2a transfer receipt: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}
