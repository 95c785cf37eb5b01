import Access
import ArgumentParser
import CaseStore
import Foundation

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, list, disable users; reset passwords; set roles and second factors.",
        discussion: """
            Roles: practitioner (reads their organisation's cases), admin (also transfers and \
            their organisation's users), auditor (reads the audit trail), hub-admin \
            (organisations and every organisation's users). Every change is in the audit trail.

            Examples:
              y2a orgs add --store y2a.sqlite --code N07 --name "Northtown PDU" --kind probation
              printf '%s\\n' "$PASSWORD" | y2a users add --store y2a.sqlite --org N07 --role admin --name alice --password-stdin
              y2a users list --store y2a.sqlite
              y2a users set-roles --store y2a.sqlite --name alice --role admin --role practitioner
              y2a users disable --store y2a.sqlite --name alice
              y2a users reset-password --store y2a.sqlite --name alice --password-stdin
              y2a users totp --store y2a.sqlite --name alice
            """,
        subcommands: [Add.self, List.self, Disable.self, ResetPassword.self, SetRoles.self, TOTPSecret.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user to an organisation.")
        @OptionGroup var options: AccountOptions
        @Option(help: "The user's organisation code.") var org: String
        @Option(help: "A role (repeat for several): practitioner, admin, auditor, hub-admin.") var role: [String] = ["practitioner"]
        @Option(help: "The user name they sign in with.") var name: String
        @Flag(help: "Read the password from the first line of standard input (else one is generated and printed once).")
        var passwordStdin = false

        func run() async throws {
            let (_, access) = try await options.open()
            let given = try readPassword(fromStandardInput: passwordStdin)
            let password = given ?? generatedPassword()
            try await runAccountAction {
                let account = try await access.addUser(by: commandLineCaller(organisation: org), name: name, organisation: org, roles: try roles(role), password: password)
                print("added user \(account.name) (id \(account.id)) to \(account.organisationCode) with roles \(account.roles.joined(separator: ","))")
                if given == nil { print("password (give it to \(account.name) once): \(password)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users (of one organisation with --org).")
        @OptionGroup var options: AccountOptions
        @Option(help: "Only this organisation's users.") var org: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            let (store, _) = try await options.open()
            let accounts = try await store.accounts(organisation: org)
            if format == .json {
                let rows = accounts.map { ["id": "\($0.id)", "name": $0.name, "organisation": $0.organisationCode, "roles": $0.roles.joined(separator: ","), "disabled": "\($0.disabled)", "secondFactor": $0.totpSecret == nil ? "none" : "enrolled"] }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                writeOutput(try encoder.encode(rows) + Data("\n".utf8))
                return
            }
            for account in accounts {
                print("\(account.id)\t\(account.name)\t\(account.organisationCode)\t\(account.roles.joined(separator: ","))\t\(account.disabled ? "disabled" : "enabled")\t\(account.totpSecret == nil ? "no second factor" : "second factor")")
            }
            if accounts.isEmpty { print("no users yet: add the first administrator with `y2a users add --org CODE --role admin --name NAME --password-stdin`") }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (their sessions end at once), or --enable them again.")
        @OptionGroup var options: AccountOptions
        @Option(help: "The user name.") var name: String
        @Flag(help: "Enable instead.") var enable = false

        func run() async throws {
            let (store, access) = try await options.open()
            try await runAccountAction {
                let account = try await named(store, name)
                try await access.setDisabled(by: commandLineCaller(organisation: account.organisationCode), id: account.id, !enable)
                print("\(enable ? "enabled" : "disabled") \(account.name)")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new password (their sessions end).")
        @OptionGroup var options: AccountOptions
        @Option(help: "The user name.") var name: String
        @Flag(help: "Read the password from the first line of standard input (else one is generated and printed once).")
        var passwordStdin = false

        func run() async throws {
            let (store, access) = try await options.open()
            let given = try readPassword(fromStandardInput: passwordStdin)
            let password = given ?? generatedPassword()
            try await runAccountAction {
                let account = try await named(store, name)
                try await access.resetPassword(by: commandLineCaller(organisation: account.organisationCode), id: account.id, password: password)
                print("set a new password for \(account.name)")
                if given == nil { print("password (give it to \(account.name) once): \(password)") }
            }
        }
    }

    struct SetRoles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-roles", abstract: "Replace a user's roles.")
        @OptionGroup var options: AccountOptions
        @Option(help: "The user name.") var name: String
        @Option(help: "A role (repeat for several); none given: no roles.") var role: [String] = []

        func run() async throws {
            let (store, access) = try await options.open()
            try await runAccountAction {
                let account = try await named(store, name)
                let granted = try roles(role)
                try await access.setRoles(by: commandLineCaller(organisation: account.organisationCode), id: account.id, roles: granted)
                print("\(account.name) now has roles \(granted.isEmpty ? "none" : granted.sorted().map(\.rawValue).joined(separator: ","))")
            }
        }
    }

    struct TOTPSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "totp", abstract: "Give a user a new TOTP second factor and print its secret once.")
        @OptionGroup var options: AccountOptions
        @Option(help: "The user name.") var name: String

        func run() async throws {
            let (store, access) = try await options.open()
            try await runAccountAction {
                let account = try await named(store, name)
                let secret = try await access.enrolSecondFactor(by: commandLineCaller(organisation: account.organisationCode), id: account.id)
                print("second factor for \(account.name): add this to an authenticator app (shown once)")
                print("secret: \(SecondFactor.base32Secret(secret))")
                print("url: \(SecondFactor.authenticatorURL(secret: secret, account: account.name))")
            }
        }
    }
}

/// The account of that name, or `ACCOUNT-UNKNOWN`.
func named(_ store: any Store, _ name: String) async throws -> AccountRecord {
    guard let account = try await store.account(name: name) else {
        throw StoreError(code: "ACCOUNT-UNKNOWN", message: "no user named \(name); `y2a users list` shows them", path: nil)
    }
    return account
}
