import API
import Access
import ArgumentParser
import CaseStore
import Foundation
import Portal

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the Y2A portal of the case store in a browser.",
        discussion: """
            Users sign in (`y2a users add` makes the first); each sees only the cases their \
            organisation holds, and every access is in the audit trail (`y2a audit`). Bound to \
            127.0.0.1 unless --host says otherwise. Off loopback, the portal serves HTTPS \
            (--tls-cert/--tls-key, TLS 1.2 or later, with HSTS) or runs --behind-proxy a \
            TLS-terminating proxy, and checks the Host header against --public-host. Pages \
            load nothing from elsewhere, so the portal works on an offline network.

            Examples:
              y2a serve --store y2a.sqlite
              y2a serve --host 0.0.0.0 --port 8443 --tls-cert /etc/y2a/tls.crt --tls-key /etc/y2a/tls.key --public-host y2a.example.gov.uk
              y2a serve --port 8080 --behind-proxy --public-host y2a.example.gov.uk
              y2a serve --store y2a.sqlite --transfer-outbox outbox --transfer-drop /mnt/probation/inbox --transfer-keys keys
            """)

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup(title: "Uploads (checked as `y2a validate` checks them)") var reading: ReadingOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8080

    @Option(help: ArgumentHelp("TLS certificate chain (PEM).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("TLS private key (PEM).", valueName: "file"))
    var tlsKey: String?

    @Flag(help: "A TLS-terminating proxy is in front: plain HTTP off loopback is allowed, and X-Forwarded-For is read from --trusted-proxy only.")
    var behindProxy = false

    @Option(help: "The proxy's address (repeat for several; default 127.0.0.1 and ::1).")
    var trustedProxy: [String] = []

    @Option(help: "The host name browsers use (Host headers are checked against it).")
    var publicHost: String?

    @Option(help: "Minutes without a request after which a session ends.")
    var idleTimeout = 30

    @Option(help: "Hours after sign-in after which a session ends.")
    var absoluteTimeout = 12

    @Option(help: "bcrypt cost for password hashes set through the portal.")
    var bcryptCost: UInt8 = 12

    @Option(help: ArgumentHelp("Folder where packages built in the browser are kept (as `y2a transfer export --out`).", valueName: "dir"))
    var transferOutbox: String?

    @Option(help: ArgumentHelp("Drop folder for recipients not on this hub (as `y2a transfer send --to-folder`).", valueName: "dir"))
    var transferDrop: String?

    @Option(help: ArgumentHelp("Folder of <CODE>.key (an organisation's packages are signed) and <CODE>.pub (keys the hub's importer trusts).", valueName: "dir"))
    var transferKeys: String?

    @Flag(help: "The hub's importer rejects packages without a valid signature.")
    var requireSignature = false

    @Option(help: "API calls a token may make a minute, on average (bursts of a tenth of it, at least 10, are allowed); over it: 429 with Retry-After.")
    var apiRate = 600

    func run() async throws {
        var access = AccessSettings()
        access.idleTimeout = TimeInterval(max(1, idleTimeout) * 60)
        access.absoluteTimeout = TimeInterval(max(1, absoluteTimeout) * 3600)
        access.bcryptCost = bcryptCost
        let configuration = PortalConfiguration(
            host: host, port: port, tlsCertificate: tlsCert, tlsKey: tlsKey, behindProxy: behindProxy,
            trustedProxies: trustedProxy.isEmpty ? ["127.0.0.1", "::1"] : Set(trustedProxy), publicHost: publicHost, access: access)
        do {
            try configuration.check()
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let store = try await storeOptions.openExisting(writeAheadLog: true)
        let service = try await AccessService(store: store, settings: access)
        if try await store.accounts(organisation: nil).isEmpty {
            printError("y2a: no users yet, so nobody can sign in: add the first administrator with `y2a orgs add --code CODE --name NAME` and `y2a users add --org CODE --role admin --name NAME --password-stdin`")
        }
        let scheme = configuration.servesTLS ? "https" : "http"
        let shown = publicHost ?? host
        do {
            let checker = DocumentChecker(options: try reading.processingOptions(), schemaDirectory: reading.schemaDirectory)
            let transfers = PortalTransfers(
                outbox: transferOutbox.map { URL(fileURLWithPath: $0) }, dropFolder: transferDrop.map { URL(fileURLWithPath: $0) },
                keys: transferKeys.map { URL(fileURLWithPath: $0) }, requireSignature: requireSignature)
            let api = try APIServer.extensions(
                store: store, checker: checker, transfers: transfers, settings: APISettings(requestsPerMinute: max(1, apiRate), burst: max(10, apiRate / 10)))
            let app = try PortalServer.application(
                store: store, access: service, configuration: configuration, checker: checker, transfers: transfers, extensions: api
            ) { port in
                print("y2a portal on \(scheme)://\(shown):\(port)/ and its API on \(scheme)://\(shown):\(port)/api/v1/ (store \(store.location)); Ctrl-C stops it")
            }
            try await app.runService()
        } catch let error as AccessError {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }
}
