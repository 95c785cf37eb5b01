import ArgumentParser
import Foundation
import Transfers

extension Transfer {
    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver a package to a drop folder: awaiting → transferred.",
            discussion: """
                Copies the package into DIR under a hidden temporary name and renames it, so the \
                receiver never sees half a file. If the copy fails the transfer goes back to \
                awaiting, with the error kept in its history.

                Example:
                  y2a transfer send outbox/8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33.y2a.zip --to-folder /mnt/probation/inbox

                Exit: 0 delivered, 1 refused (unknown package, wrong status), 3 delivery or store failure.
                """)

        @OptionGroup var reading: ReadingOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(help: ArgumentHelp("The receiver's drop folder.", valueName: "dir"))
        var toFolder: String

        @Argument(help: ArgumentHelp("The package built by `y2a transfer export`.", valueName: "package"))
        var package: String

        func run() async throws {
            let (schemas, _) = try reading.makeProcessor()
            let ledger = TransferLedger(store: try await storeOptions.open())
            do {
                let row = try await ledger.send(URL(fileURLWithPath: package), toFolder: URL(fileURLWithPath: toFolder), schemas: schemas)
                print("transfer \(row.transferId): delivered to \(toFolder); status \(row.status)")
            } catch let refusal as TransferRefusal {
                printError("y2a transfer send: \(refusal)")
                throw ExitCode(ExitStatus.invalidInput)
            } catch let refusal as TransferMoveError {
                printError("y2a transfer send: \(refusal)")
                throw ExitCode(ExitStatus.invalidInput)
            } catch let rejection as PackageRejection {
                printRejection(rejection, file: package)
                throw ExitCode(ExitStatus.invalidInput)
            } catch {
                printError("y2a transfer send: delivery failed; the transfer is awaiting again: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}
