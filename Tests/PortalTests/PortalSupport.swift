import Access
import CaseRecord
import CaseStore
import Foundation
import Gateway
import GRDB
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import Portal
import TestSupport
import Testing

/// A portal over an in-memory store with two organisations: N07 holds every valid sample, B23
/// holds synthetic cases of its own (with a package file). bcrypt at its lowest cost.
struct PortalHarness {
    static let password = "correct horse battery"
    let store: any Store
    let access: AccessService
    let configuration: PortalConfiguration

    static func record(_ name: String) throws -> CaseRecord {
        try #require(try Fixtures.process(file: Fixtures.sample(name), convert: true).caseRecord)
    }

    /// `engine`: the store's engine (default: SQLite in memory; else a new store on `engine`).
    init(configuration: PortalConfiguration = .init(), samples: Bool = true, engine: StoreKind? = nil) async throws {
        if let engine {
            store = try await TestStores.open(engine)
        } else {
            store = try CaseStore()
        }
        var settings = configuration.access
        settings.bcryptCost = 4
        var configuration = configuration
        configuration.access = settings
        self.configuration = configuration
        access = try await AccessService(store: store, settings: settings)
        let root = Caller.commandLine(organisation: "N07")
        _ = try await access.addOrganisation(by: root, code: "N07", name: "Northtown PDU", kind: "probation")
        _ = try await access.addOrganisation(by: root, code: "B23", name: "Brookfield YOT", kind: "yot")
        _ = try await access.addOrganisation(by: root, code: "HUB", name: "Hub", kind: "hub")
        for (name, org, roles) in [
            ("alice", "N07", [Role.practitioner, .admin, .auditor]), ("nina", "N07", [.practitioner]),
            ("bob", "B23", [.practitioner, .admin, .auditor]), ("hattie", "HUB", [.hubAdmin]), ("nobody", "N07", []),
        ] {
            _ = try await access.addUser(by: root, name: name, organisation: org, roles: Set(roles), password: Self.password)
        }
        if samples {
            for name in Fixtures.validSampleNames {
                _ = try await store.store(try Self.record(name), sourceXML: try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(name))), sourceName: name, now: Date(), holders: ["N07"])
            }
        }
    }

    /// Stores `count` synthetic cases for `organisation`, named `<family><n>`; the first with a
    /// package file (`document`), as a received package would keep it.
    @discardableResult
    func addCases(
        _ count: Int, organisation: String, family: String, given: String = "Sam", base: String = "valid/contract-example-assetplus.xml",
        document: NewCaseDocument? = nil
    ) async throws -> [Int64] {
        let template = try Self.record(base)
        var ids: [Int64] = []
        for index in 0..<count {
            var record = template
            record.person.familyName = "\(family)\(index == 0 ? "" : String(index))"
            record.person.givenNames = given
            record.person.pnc = nil
            record.person.id = "\(organisation)-\(family)-\(index)"
            record.source.documentId = UUID().uuidString
            record.source.sha256 = (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "").lowercased()
            record.assessment.assessedOn = String(format: "2024-%02d-%02d", 1 + index % 12, 1 + index % 28)
            if index == 0, let document {
                let accepted = PackageCase(record: record, sourceXML: Data("<x/>".utf8), sourceName: "synthetic.xml", now: Date(), holders: [organisation], documents: [document])
                let (_, id) = try await store.decidePackage(receiver: organisation, packageSha256: nil, transferId: nil) { _, _ in
                    (.record(case: accepted, received: nil), ())
                }
                if let id { ids.append(id) }
            } else if case .stored(let id, _) = try await store.store(record, sourceXML: Data("<x/>".utf8), sourceName: "synthetic.xml", now: Date(), holders: [organisation]) {
                ids.append(id)
            }
        }
        return ids
    }

    var app: some ApplicationProtocol {
        get throws { try PortalServer.application(store: store, access: access, configuration: configuration) }
    }
}

/// A browser's state for the router test client: cookies and the page's CSRF token.
struct Browser {
    var cookies: [String: String] = [:]
    var csrf: String?

    var headers: HTTPFields {
        var fields: HTTPFields = [:]
        if !cookies.isEmpty { fields[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return fields
    }

    mutating func absorb(_ response: TestResponse) {
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if value.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
        let body = String(buffer: response.body)
        if let match = body.firstMatch(of: /name="csrf" value="([^"]+)"/) { csrf = String(match.output.1) }
    }

    mutating func get(_ client: some TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .get) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: nil)
        absorb(response)
        return response
    }

    /// Posts a form with the page's CSRF token (unless `csrf` says otherwise).
    mutating func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [String: String], csrf: String? = nil) async throws -> TestResponse {
        var all = fields
        all["csrf"] = csrf ?? self.csrf ?? ""
        let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        absorb(response)
        return response
    }

    /// Signs in through the form, as a person would.
    mutating func signIn(_ client: some TestClientProtocol, _ name: String, password: String = PortalHarness.password) async throws -> TestResponse {
        _ = try await get(client, "/sign-in")
        let response = try await post(client, "/sign-in", ["name": name, "password": password])
        if response.status == .seeOther { _ = try await get(client, "/") }
        return response
    }
}

/// A route of the router, as the walks use it.
struct Route: Sendable, CustomStringConvertible {
    var method: HTTPRequest.Method
    var path: String
    var description: String { "\(method) \(path)" }
}
