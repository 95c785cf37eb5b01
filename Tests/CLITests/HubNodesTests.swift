import CaseStore
import Foundation
import TestSupport
import Testing

/// A hub: two `y2a serve` nodes and a `y2a batch` on one PostgreSQL database. A case stored
/// through any of them is seen through the others, a session signed in on one node is valid on
/// the other (and ends on both), and the audit trail is one sequence.
@Suite("Hub: two portal nodes and a batch on one PostgreSQL", .enabled(if: TestStores.postgresAddress != nil))
struct HubNodesTests {
    static let password = "correct horse battery staple"

    @Test("a case imported through one is seen through the other; one session for both; one audit sequence")
    func twoNodesAndABatch() async throws {
        let address = try TestStores.freshAddress(.postgres).description
        let store = try StoreAddress(parsing: address)
        #expect(try Y2ACommand.run(["orgs", "add", "--store", address, "--code", "B23", "--name", "Northtown YOT", "--kind", "yot"]).status == 0)
        let added = try Y2ACommand.run(
            ["users", "add", "--store", address, "--org", "B23", "--role", "practitioner", "--role", "auditor", "--name", "ann", "--password-stdin", "--bcrypt-cost", "4"],
            input: Self.password + "\n")
        #expect(added.status == 0, "\(added.stderr)")
        let imported = try Y2ACommand.run(["import", "--quiet", "--store", address, "--org", "B23", "SampleFiles/valid/asset-core-profile.xml"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let nodes = try [Node(store: address), Node(store: address)]
        defer { for node in nodes { node.stop() } }
        for node in nodes { try await node.waitUntilUp() }

        // Signed in on the first node; the second knows the session.
        var ann = Session()
        try ann.signIn(on: nodes[0], name: "ann", password: Self.password)
        let listed = try ann.get(nodes[1], "/")
        #expect(listed.status == 200, "\(listed.body.prefix(300))")
        #expect(listed.body.contains("1 case"), "\(listed.body.prefix(300))")

        // The batch host stores a case (held by the organisation its document names, B23);
        // both nodes list it at once.
        let batch = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(at: batch.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: URL(fileURLWithPath: Fixtures.sample("valid/contract-example-assetplus.xml")), to: batch.appendingPathComponent("inbox/AssetPlus.xml"))
        let config = try BatchFolders.write(in: batch, organisation: "B23", store: address)
        let run = try Y2ACommand.run(["batch", "--config", config.path])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        for node in nodes {
            #expect(try ann.get(node, "/").body.contains("2 cases"))
        }
        let caseIds = try TestStores.psql(store, "SELECT id FROM caseRecord ORDER BY id").split(separator: "\n").map(String.init)
        #expect(caseIds.count == 2)
        for (node, caseId) in zip(nodes, caseIds) {
            #expect(try ann.get(node, "/cases/\(caseId)").status == 200)
        }

        // Signed out on the second node: the first refuses the session too.
        #expect(try ann.post(nodes[1], "/sign-out", [:]).status == 303)
        let after = try ann.get(nodes[0], "/")
        #expect(after.status == 303 && after.location?.contains("/sign-in") == true, "\(after.status) \(after.location ?? "")")

        // One audit trail: the CLI's, both nodes' and the batch's events in one sequence.
        let exported = try Y2ACommand.run(["audit", "--store", address, "--format", "json"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let events = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [[String: Any]])
        let ids = events.compactMap { $0["id"] as? Int }
        #expect(ids.count == events.count && ids == ids.sorted() && Set(ids).count == ids.count)
        let views = events.filter { $0["action"] as? String == "view-case" && $0["actor"] as? String == "ann" }
        #expect(views.count == 2)
        #expect(Set(views.compactMap { $0["caseId"] as? Int }).count == 2)
        #expect(events.contains { $0["action"] as? String == "sign-in" })
        #expect(events.contains { $0["action"] as? String == "sign-out" })
    }
}

/// One `y2a serve` process on a free loopback port.
final class Node: Sendable {
    let port: Int
    let process: Process
    let log: URL

    init(store: String) throws {
        port = try Self.freePort()
        log = try Fixtures.temporaryDirectory().appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = Y2ACommand.binary
        process.arguments = ["serve", "--store", store, "--port", String(port), "--bcrypt-cost", "4"]
        process.currentDirectoryURL = Fixtures.root
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Waits (up to 30 s) for `/health` to answer.
    func waitUntilUp() async throws {
        for _ in 0..<300 {
            if (try? HTTP.request("GET", base + "/health"))?.status == 200 { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw StoreError(code: "TEST", message: "y2a serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")", path: nil)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw StoreError(code: "TEST", message: "no free port", path: nil) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A browser's cookies and CSRF token, over curl.
struct Session {
    var cookies: [String: String] = [:]
    var csrf: String?

    mutating func absorb(_ response: HTTP.Response) {
        for (name, value) in response.setCookies {
            if value.isEmpty { cookies[name] = nil } else { cookies[name] = value }
        }
        if let match = response.body.firstMatch(of: /name="csrf" value="([^"]+)"/) { csrf = String(match.output.1) }
    }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    mutating func get(_ node: Node, _ path: String) throws -> HTTP.Response {
        let response = try HTTP.request("GET", node.base + path, cookie: cookieHeader)
        absorb(response)
        return response
    }

    mutating func post(_ node: Node, _ path: String, _ fields: [String: String]) throws -> HTTP.Response {
        var all = fields
        all["csrf"] = csrf ?? ""
        let response = try HTTP.request("POST", node.base + path, cookie: cookieHeader, form: all)
        absorb(response)
        return response
    }

    mutating func signIn(on node: Node, name: String, password: String) throws {
        _ = try get(node, "/sign-in")
        let response = try post(node, "/sign-in", ["name": name, "password": password])
        guard response.status == 303, cookies["y2a_session"] != nil else {
            throw StoreError(code: "TEST", message: "sign-in failed: \(response.status)", path: nil)
        }
    }
}

/// Plain HTTP requests through curl (headers and body kept apart, no cookie jar: the caller
/// sends its cookies, so a Secure cookie travels over loopback HTTP as a browser's would).
enum HTTP {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: String

        var location: String? { header("location") }

        /// The first header of this name (any case).
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

        /// name → value ("" when the cookie is cleared).
        var setCookies: [(String, String)] {
            headers.filter { $0.0.lowercased() == "set-cookie" }.compactMap { _, value in
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                guard let name = pair.first else { return nil }
                return (name, value.contains("Max-Age=0") ? "" : (pair.count == 2 ? pair[1] : ""))
            }
        }
    }

    /// `form`: fields sent URL-encoded; `file`: a body sent as it is (with `headers`, e.g. its type).
    static func request(
        _ method: String, _ url: String, cookie: String = "", form: [String: String]? = nil, headers: [String: String] = [:], file: URL? = nil
    ) throws -> Response {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let head = folder.appendingPathComponent("headers")
        let body = folder.appendingPathComponent("body")
        var arguments = ["curl", "-s", "-X", method, "-D", head.path, "-o", body.path, "--max-time", "30"]
        if !cookie.isEmpty { arguments += ["-H", "Cookie: \(cookie)"] }
        for (key, value) in form ?? [:] { arguments += ["--data-urlencode", "\(key)=\(value)"] }
        if form?.isEmpty == true { arguments += ["-d", ""] }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        if let file { arguments += ["--data-binary", "@\(file.path)"] }
        arguments.append(url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw StoreError(code: "TEST", message: "curl failed (\(process.terminationStatus))", path: nil) }
        let lines = (try String(contentsOf: head, encoding: .utf8)).split(whereSeparator: \.isNewline).map(String.init)
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        let fields = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Response(status: status, headers: fields, body: (try? String(contentsOf: body, encoding: .utf8)) ?? "")
    }
}
