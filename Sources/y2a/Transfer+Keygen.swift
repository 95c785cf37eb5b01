import ArgumentParser
import Foundation
import Gateway
import Transfers

extension Transfer {
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an Ed25519 key pair for signing packages.",
            discussion: """
                Writes <CODE>.key (the private key, mode 0600: keep it on the sending machine) and \
                <CODE>.pub (base64: give it to each receiver for its trust store folder).

                Example:
                  y2a transfer keygen --out keys --org B23

                Exit: 0 written, 1 a key already exists, 2 usage, 3 I/O failure.
                """)

        @Option(help: ArgumentHelp("Folder for the keys (created 0700).", valueName: "dir"))
        var out: String

        @Option(help: ArgumentHelp("Our organisation code (e.g. B23).", valueName: "code"))
        var org: String

        func validate() throws {
            guard isOrganisationCode(org) else { throw ValidationError("--org must be an organisation code of 3 to 8 capital letters or digits (e.g. B23)") }
        }

        func run() throws {
            let folder = URL(fileURLWithPath: out)
            let privateURL = folder.appendingPathComponent("\(org).key")
            let publicURL = folder.appendingPathComponent("\(org).pub")
            for url in [privateURL, publicURL] where FileManager.default.fileExists(atPath: url.path) {
                printError("y2a transfer keygen: \(url.path) exists; a key is never overwritten (move it away first)")
                throw ExitCode(ExitStatus.invalidInput)
            }
            let keys = SigningKeys.generate()
            do {
                try AtomicFile.write(keys.privateKey, to: privateURL)
                try AtomicFile.write(keys.publicKey, to: publicURL)
            } catch {
                printError("y2a: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
            print("private key: \(privateURL.path) (0600; keep it here)")
            print("public key:  \(publicURL.path) (copy it into each receiver's --trust folder)")
        }
    }
}
