import ArgumentParser
import CaseStore
import Foundation
import Portal

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the Y2A portal view of the case store in a browser.",
        discussion: """
            Serves a case list (search by name, PNC or person id; filter by framework and \
            transfer status) and a page per case with its documents. Pages load nothing from \
            elsewhere, so the portal works on an offline network. Bound to 127.0.0.1 unless \
            --host says otherwise: these are children's records.

            Example:
              y2a import SampleFiles/valid && y2a serve --port 8080
              then open http://127.0.0.1:8080/
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8080

    func run() async throws {
        let store = try storeOptions.openExisting()
        let app = PortalServer.application(store: store, host: host, port: port) { [host] port in
            print("y2a portal on http://\(host):\(port)/ (store \(store.path)); Ctrl-C stops it")
        }
        try await app.runService()
    }
}
