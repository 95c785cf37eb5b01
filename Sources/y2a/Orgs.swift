import Access
import ArgumentParser
import CaseStore
import Foundation

struct Orgs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orgs",
        abstract: "Add and list organisations (YOTs, probation delivery units).",
        discussion: """
            A case is visible to the organisations that hold it: the one it was imported for \
            (`y2a import --org`), the receiver of a transfer, and its sender.

            Examples:
              y2a orgs add --store y2a.sqlite --code N07 --name "Northtown PDU" --kind probation
              y2a orgs add --store y2a.sqlite --code B23 --name "Brookfield YOT" --require-totp
              y2a orgs set --store y2a.sqlite --code B23 --require-totp false
              y2a orgs list --store y2a.sqlite
            """,
        subcommands: [Add.self, List.self, Set.self])

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case yot, probation, hub
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an organisation.")
        @OptionGroup var options: AccountOptions
        @Option(help: "Its code (1–8 letters and digits), e.g. N07.") var code: String
        @Option(help: "Its name.") var name: String
        @Option(help: "yot, probation or hub.") var kind: Kind = .yot
        @Flag(help: "Its users must give a TOTP code after their password.") var requireTotp = false

        func run() async throws {
            let (_, access) = try await options.open()
            try await runAccountAction {
                let added = try await access.addOrganisation(by: commandLineCaller(organisation: code), code: code, name: name, kind: kind.rawValue, requiresTOTP: requireTotp)
                print("added organisation \(added.code) (\(added.kind))\(added.requiresTOTP ? ", second factor required" : "")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List organisations.")
        @OptionGroup var options: AccountOptions

        func run() async throws {
            let (store, _) = try await options.open()
            for organisation in try await store.organisations() {
                print("\(organisation.code)\t\(organisation.kind)\t\(organisation.requiresTOTP ? "second factor required" : "second factor optional")\t\(organisation.name)")
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Require (or not) a second factor for an organisation's users.")
        @OptionGroup var options: AccountOptions
        @Option(help: "The organisation code.") var code: String
        @Option(help: "true or false.") var requireTotp: Bool

        func run() async throws {
            let (_, access) = try await options.open()
            try await runAccountAction {
                try await access.setRequiresTOTP(by: commandLineCaller(organisation: code), organisation: code, requireTotp)
                print("\(code): second factor \(requireTotp ? "required" : "optional")")
            }
        }
    }
}
