import Access
import ArgumentParser
import CaseStore
import Foundation

/// Options of the account commands: the store and bcrypt's cost.
struct AccountOptions: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "bcrypt cost for new password hashes (4–31; each step doubles the time).")
    var bcryptCost: UInt8 = 12

    /// The accounts service over the store, acting as the operator at this machine.
    func open() async throws -> (any Store, AccessService) {
        let store = try await storeOptions.open()
        var settings = AccessSettings()
        settings.bcryptCost = bcryptCost
        return (store, try await AccessService(store: store, settings: settings))
    }
}

/// The operator at the command line: every role, for the organisation the command names. The
/// audit trail records them as `operator:<login name>`.
func commandLineCaller(organisation: String) -> Caller {
    let login = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    return Caller.commandLine(organisation: organisation, who: "operator:\(login.prefix(32))")
}

/// Runs an account action, printing an access or store failure as `y2a: CODE: message` (exit 3,
/// or 2 for a refused value).
func runAccountAction(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as AccessError {
        printError("y2a: \(error)")
        throw ExitCode(ExitStatus.usage)
    } catch let error as StoreError {
        printError("y2a: \(error)")
        let refused = ["ACCOUNT-EXISTS", "ORG-EXISTS", "ORG-UNKNOWN", "ACCOUNT-UNKNOWN", "TOKEN-EXISTS"].contains(error.code)
        throw ExitCode(refused ? ExitStatus.usage : ExitStatus.failure)
    }
}

/// Reads one password line from standard input (never echoed, never logged).
func readPassword(fromStandardInput: Bool) throws -> String? {
    guard fromStandardInput else { return nil }
    guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
        printError("y2a: PASSWORD-EMPTY: --password-stdin reads the password as the first line of standard input, and it was empty")
        throw ExitCode(ExitStatus.usage)
    }
    return line
}

/// A password for a new account when none is given: 20 characters to hand over once.
func generatedPassword() -> String {
    String(Tokens.random().prefix(20))
}

/// Role names from `--role` options; an unknown one is a usage error naming the roles.
func roles(_ names: [String]) throws -> Set<Role> {
    var roles = Set<Role>()
    for name in names {
        switch Role.parseList(name) {
        case .success(let parsed): roles.formUnion(parsed)
        case .failure(let error):
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }
    return roles
}
