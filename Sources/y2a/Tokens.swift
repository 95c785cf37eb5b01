import Access
import ArgumentParser
import CaseStore
import Foundation

struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Make, list and revoke API tokens of an organisation (for case management systems).",
        discussion: """
            A token acts for its organisation only, in every call of the HTTP API \
            (`Authorization: Bearer y2a_...`, see docs/api.md). It is printed once, when it is \
            made: only its SHA-256 is stored. Its name is who the audit trail says called.

            Examples:
              y2a tokens add --store y2a.sqlite --org N07 --name "nDelius feed" --expires 2027-12-31
              y2a tokens list --store y2a.sqlite --org N07
              y2a tokens revoke --store y2a.sqlite --org N07 --id 3
            """,
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token; prints it once.")
        @OptionGroup var options: AccountOptions
        @Option(help: "The organisation it acts for, e.g. N07.") var org: String
        @Option(help: "What it is for (the caller in the audit trail), e.g. \"nDelius feed\".") var name: String
        @Option(help: ArgumentHelp("Last day it works (YYYY-MM-DD, UTC); default: until revoked.", valueName: "date")) var expires: String?

        func run() async throws {
            var until: Date?
            if let expires {
                // The end of that day, UTC.
                guard expires.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil,
                      let day = ISO8601DateFormatter().date(from: expires + "T00:00:00Z") else {
                    printError("y2a: TOKEN-EXPIRES: --expires takes a date as YYYY-MM-DD")
                    throw ExitCode(ExitStatus.usage)
                }
                until = day.addingTimeInterval(86_400)
            }
            let (store, _) = try await options.open()
            try await runAccountAction {
                let (token, record) = try await APITokens(store: store).add(organisation: org, name: name, expires: until, by: commandLineCaller(organisation: org))
                print(token)
                printError("y2a: token \(record.id) for \(record.organisationCode) (\(record.name))\(record.expiresAt.map { ", expires \($0)" } ?? ""): shown once, keep it secret")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never the tokens themselves).")
        @OptionGroup var options: AccountOptions
        @Option(help: "Only this organisation's.") var org: String?

        func run() async throws {
            let (store, _) = try await options.open()
            for token in try await store.apiTokens(organisation: org) {
                let state = token.revokedAt.map { "revoked \($0)" } ?? token.expiresAt.map { "expires \($0)" } ?? "live"
                print("\(token.id)\t\(token.organisationCode)\t\(state)\t\(token.name)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: every call with it answers 403 from then on.")
        @OptionGroup var options: AccountOptions
        @Option(help: "The organisation whose token it is.") var org: String
        @Option(help: "The token's id (from `y2a tokens list`).") var id: Int64

        func run() async throws {
            let (store, _) = try await options.open()
            try await runAccountAction {
                guard try await APITokens(store: store).revoke(id: id, organisation: org, by: commandLineCaller(organisation: org)) else {
                    printError("y2a: TOKEN-UNKNOWN: \(org) has no live token \(id) (see y2a tokens list)")
                    throw ExitCode(ExitStatus.usage)
                }
                print("revoked token \(id) of \(org)")
            }
        }
    }
}
