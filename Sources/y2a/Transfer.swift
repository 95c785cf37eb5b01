import ArgumentParser
import Foundation
import Gateway
import Transfers

/// `y2a transfer …`: packages between YOTs and to probation, their statuses and receipts.
struct Transfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, send, import and track transfer packages (YOT to YOT, youth to adult).",
        discussion: """
            Sender (YOT): export → send → (the receiver answers with a receipt) → receipt; status \
            shows where every package stands. Receiver (YOT or probation): import checks a \
            package, stores an accepted case and writes the receipt to send back.

            See docs/transfers.md for a walk-through.
            """,
        subcommands: [Export.self, Send.self, Import.self, Receipt.self, Status.self, Keygen.self]
    )
}

/// The organisation-code pattern of the contract: `[A-Z0-9]{3,8}`.
func isOrganisationCode(_ code: String) -> Bool {
    (3...8).contains(code.utf8.count) && code.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
}

extension ReadingOptions {
    /// One document processor with the schemas and rules these options describe.
    func makeProcessor() throws -> (SchemaCatalog, DocumentProcessor) {
        do {
            let validator = try makeValidator()
            return (validator.schemas, DocumentProcessor(schemas: validator.schemas, options: validator.options))
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }
}

/// Prints a package rejection (and an assessment's findings) on standard error.
func printRejection(_ rejection: PackageRejection, file: String) {
    for reason in rejection.reasons {
        printError("\(file): rejected[\(reason.code.rawValue)]: \(reason.text)")
    }
    for finding in rejection.findings {
        printError("\(file):\(finding)")
    }
}
