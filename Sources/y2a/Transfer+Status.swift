import CaseRecord
import ArgumentParser
import CaseStore
import Foundation

extension Transfer {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List transfers and their statuses; with an id, its full history.",
            discussion: """
                Examples:
                  y2a transfer status
                  y2a transfer status 8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33
                  y2a transfer status --format json
                """)

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Output: text or json.")
        var format: OutputFormat = .text

        @Argument(help: ArgumentHelp("A TransferId: show its history.", valueName: "id"))
        var id: String?

        func run() async throws {
            let store = try await storeOptions.openExisting()
            do {
                if let id {
                    guard let row = try await store.transfer(id) else {
                        printError("y2a transfer status: no transfer \(id) in \(store.location)")
                        throw ExitCode(ExitStatus.invalidInput)
                    }
                    let history = try await store.transferHistory(id)
                    switch format {
                    case .json:
                        struct Detail: Encodable { var transfer: TransferRow; var history: [TransferEvent] }
                        writeOutput(try Self.json(Detail(transfer: row, history: history)))
                    case .text:
                        print(Self.table([row]))
                        print("\nHistory:")
                        for event in history {
                            let move = "\(event.fromStatus ?? "(new)") → \(event.toStatus)"
                            print("  \(event.at)  \(move.padding(toLength: 26, withPad: " ", startingAt: 0))  \(event.detail ?? "")")
                        }
                    }
                } else {
                    let rows = try await store.transfers()
                    switch format {
                    case .json: writeOutput(try Self.json(rows))
                    case .text: print(rows.isEmpty ? "no transfers in \(store.location)" : Self.table(rows))
                    }
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                printError("y2a: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
        }

        static func json(_ value: some Encodable) throws -> Data {
            try CanonicalJSON.encode(value)
        }

        /// Columns: id, kind, young person id, recipient, status, when, reason.
        static func table(_ rows: [TransferRow]) -> String {
            let header = ["TRANSFER ID", "KIND", "PERSON ID", "TO", "STATUS", "WHEN", "REASON"]
            let cells = rows.map { [$0.transferId, $0.kind, $0.personRef, $0.recipientCode, $0.status, $0.updatedAt, $0.reason ?? ""] }
            let widths = (0..<header.count - 1).map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
            return ([header] + cells).map { row in
                row.enumerated().map { index, cell in
                    index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }.joined(separator: "\n")
        }
    }
}
