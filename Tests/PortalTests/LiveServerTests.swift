import Access
import CaseStore
import Foundation
import Hummingbird
import Portal
import TestSupport
import Testing

/// The portal on a real socket: a person's journey in Chromium, and TLS.
@Suite("Portal live", .serialized)
struct LiveServerTests {
    static func tool(_ names: [String]) -> String? {
        names.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let chromium = tool(["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"])
    static let openssl = tool(["/usr/bin/openssl"])
    static let curl = tool(["/usr/bin/curl"])

    /// Runs the portal on a free loopback port for the duration of `body`.
    /// `checker`, `uploads` and `transfers` as `y2a serve` gives them (defaults: the portal's).
    static func withServer(
        _ harness: PortalHarness, configuration: PortalConfiguration = .init(port: 0), checker: DocumentChecker = DocumentChecker(),
        uploads: UploadShelf = .shared, transfers: PortalTransfers = .init(), _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var configuration = configuration
        configuration.access.bcryptCost = 4
        let app = try PortalServer.application(
            store: harness.store, access: harness.access, configuration: configuration, checker: checker, uploads: uploads, transfers: transfers,
            onRunning: { continuation.yield($0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            defer { group.cancelAll() }
            try await body(port)
        }
    }

    /// Runs blocking work on its own thread, off the cooperative pool the server needs.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Scripts/test installs Chromium (apt `chromium`); without it this test cannot run.
    @Test("in Chromium: sign in, search a two-word name, page through 600 cases, open a case, sign out; Back shows nothing", .enabled(if: chromium != nil))
    func journey() async throws {
        let harness = try await PortalHarness()
        try await harness.addCases(600, organisation: "N07", family: "Journeyman", given: "Alex Kai")
        let artefacts = Fixtures.root.appendingPathComponent(".build/test-artefacts")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        try await Self.withServer(harness) { port in
            let base = "http://127.0.0.1:\(port)"
            let seen = try await Self.offPool { () -> [String] in
                var log: [String] = []
                let browser = try ChromiumDriver(chromium: Self.chromium!)
                try browser.navigate("\(base)/")
                log.append("start:" + browser.location)
                try browser.evaluateAndWait("""
                    document.getElementById('name').value = 'nina';
                    document.getElementById('password').value = '\(PortalHarness.password)';
                    document.querySelector('form.stack').submit();
                    """)
                log.append("signed-in:" + browser.text)
                try browser.evaluateAndWait("document.getElementById('q').value = 'Kieran Jack'; document.querySelector('form.search').submit();")
                log.append("search:" + browser.location + "\n" + browser.text)
                try browser.navigate("\(base)/?q=Alex+Kai")
                var pages = 1
                log.append("page:" + browser.text)
                while (try browser.evaluate("document.querySelector('a[rel=next]') !== null")) as? Bool == true {
                    try browser.evaluateAndWait("document.querySelector('a[rel=next]').click();")
                    pages += 1
                    log.append("page:" + browser.text)
                }
                log.append("pages:\(pages)")
                try browser.evaluateAndWait("document.querySelector('table a[href^=\"/cases/\"]').click();")
                log.append("case:" + browser.location + "\n" + browser.text)
                let screenshot = try browser.send("Page.captureScreenshot", ["format": "png"], onPage: true)
                if let data = (screenshot["data"] as? String).flatMap({ Data(base64Encoded: $0) }) {
                    try data.write(to: artefacts.appendingPathComponent("journey-case.png"))
                }
                try browser.evaluateAndWait("document.querySelector('nav.user form button').click();")
                log.append("signed-out:" + browser.location)
                try browser.evaluateAndWait("history.back();")
                log.append("back:" + browser.location + "\n" + browser.text)
                return log
            }
            #expect(seen[0].hasSuffix("/sign-in"), "\(seen[0])")
            #expect(seen[1].contains("signed-in:") && seen[1].contains("Cases") && seen[1].contains("nina (N07)"))
            let search = seen[2]
            #expect(search.contains("q=Kieran+Jack"), "the form sends +")
            #expect(search.contains("Thistlewood, Kieran Jack"))
            let pageTexts = seen.filter { $0.hasPrefix("page:") }
            #expect(pageTexts.count == 12)
            #expect(pageTexts.first?.contains("600 cases; showing 1–50, page 1 of 12") == true)
            #expect(pageTexts.last?.contains("showing 551–600, page 12 of 12") == true)
            #expect(seen.contains("pages:12"))
            let casePage = try #require(seen.first { $0.hasPrefix("case:") })
            #expect(casePage.contains("/cases/") && casePage.contains("Risk summary") && casePage.contains("Alex Kai Journeyman"))
            #expect(seen.contains { $0.hasPrefix("signed-out:") && $0.hasSuffix("/sign-in") })
            let back = try #require(seen.last)
            #expect(back.contains("Sign in"))
            #expect(!back.contains("Journeyman") && !back.contains("Risk summary"), "Back showed the case after sign-out")
        }
    }

    @Test("--tls-cert/--tls-key: HTTPS with HSTS; TLS 1.1 refused, TLS 1.2 accepted", .enabled(if: openssl != nil && curl != nil))
    func tls() async throws {
        let folder = try Fixtures.temporaryDirectory()
        let cert = folder.appendingPathComponent("tls.crt").path, key = folder.appendingPathComponent("tls.key").path
        let made = try Self.run(Self.openssl!, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost"])
        try #require(made.status == 0, "\(made.output)")
        let harness = try await PortalHarness(samples: false)
        try await Self.withServer(harness, configuration: .init(port: 0, tlsCertificate: cert, tlsKey: key)) { port in
            let (status, headers) = try await Self.offPool { () -> (Int32, String) in
                let result = try Self.run(Self.curl!, ["-sS", "-k", "-D", "-", "-o", "/dev/null", "--tlsv1.2", "https://127.0.0.1:\(port)/health"])
                return (result.status, result.output)
            }
            #expect(status == 0, "\(headers)")
            #expect(headers.contains("HTTP/1.1 200"))
            #expect(headers.lowercased().contains("strict-transport-security: max-age=31536000"))
            let old = try await Self.offPool { try Self.run(Self.curl!, ["-sS", "-k", "-o", "/dev/null", "--tlsv1.1", "--tls-max", "1.1", "https://127.0.0.1:\(port)/health"]) }
            #expect(old.status != 0, "TLS 1.1 was accepted")
            let plain = try await Self.offPool { try Self.run(Self.curl!, ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/health"]) }
            #expect(plain.output != "200", "plain HTTP was answered on the TLS port")
        }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-run-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        defer { try? FileManager.default.removeItem(at: out) }
        return (process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }
}
