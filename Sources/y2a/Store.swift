import ArgumentParser
import CaseStore
import Foundation
import Gateway

struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Work on a case store as a whole.",
        subcommands: [Migrate.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Copy a whole store into another: SQLite into PostgreSQL, or back.",
            discussion: """
                Copies every table (cases with their source documents, package files, transfers \
                and their history, received packages, the batch journal, organisations, users, \
                sessions, sign-in throttles and the audit trail), ids kept, into TO, which is \
                created and migrated if needed. Then verifies the copy: the same number of rows \
                in every table, and every case's source document hashing to its SHA-256 on \
                both sides. Safe to re-run: rows already in TO are kept, and a TO that held \
                other data fails the check. Stop the portal and the batch first.

                Examples:
                  y2a store migrate /srv/y2a/cases.sqlite 'postgres://y2a@db.hub:5432/hub?sslmode=verify-full'
                  y2a store migrate 'postgres://y2a@db.hub:5432/hub' /srv/y2a/restored.sqlite

                Exit: 0 copied and verified, 2 usage, 3 store failure or the copy differs.
                """)

        @Argument(help: ArgumentHelp("The store to copy: a SQLite path or a postgres:// address.", valueName: "from"))
        var from: String

        @Argument(help: ArgumentHelp("The store to copy into.", valueName: "to"))
        var to: String

        func run() async throws {
            let (source, target): (StoreAddress, StoreAddress)
            do {
                (source, target) = (try StoreAddress(parsing: from), try StoreAddress(parsing: to))
            } catch {
                printError("y2a: \(error)")
                throw ExitCode(ExitStatus.usage)
            }
            guard source != target else {
                printError("y2a: FROM and TO are the same store")
                throw ExitCode(ExitStatus.usage)
            }
            do {
                guard let from = try await StoreEngine.open(source, settings: StoreSettings(readOnly: true)) else {
                    printError("y2a: \(source): no store there to copy")
                    throw ExitCode(ExitStatus.failure)
                }
                let into = try await StoreEngine.open(target, writeAheadLog: false)
                guard let reading = from as? any StoreCopying, let writing = into as? any StoreCopying else {
                    printError("y2a: this engine cannot copy a whole store")
                    throw ExitCode(ExitStatus.failure)
                }
                let result = try await StoreCopier(sha256: DocumentProcessor.sha256Hex).copy(from: reading, to: writing)
                for (table, count) in result.rows { print("\(table): \(count) rows") }
                print("copied \(source) to \(target): every table's rows counted on both sides, \(result.documentsVerified) source documents verified by SHA-256")
                await from.close()
                await into.close()
            } catch let exit as ExitCode {
                throw exit
            } catch {
                printError("y2a: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
        }
    }
}
