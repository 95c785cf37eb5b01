import Access
@testable import API
import CaseStore
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import Portal
import TestSupport
import Testing
import Transfers
import XMLSupport

/// The hub's API behind `y2a serve`'s front door: N07 (probation) and B23 (a YOT), a token each.
struct APIHarness {
    let store: any Store
    let access: AccessService
    let n07: String
    let b23: String
    /// An organisation that is party to nothing.
    let c41: String
    let checker: DocumentChecker
    let settings: APISettings

    init(engine: StoreKind = .sqlite, maxDocumentBytes: Int64 = XMLLimits.default.maxDocumentBytes, settings: APISettings = .init()) async throws {
        store = try await TestStores.open(engine)
        var accessSettings = AccessSettings()
        accessSettings.bcryptCost = 4
        access = try await AccessService(store: store, settings: accessSettings)
        let root = Caller.commandLine(organisation: "N07")
        _ = try await access.addOrganisation(by: root, code: "N07", name: "Northtown PDU", kind: "probation")
        _ = try await access.addOrganisation(by: root, code: "B23", name: "Brookfield YOT", kind: "yot")
        let tokens = APITokens(store: store)
        n07 = try await tokens.add(organisation: "N07", name: "nDelius feed", expires: nil, by: root).token
        b23 = try await tokens.add(organisation: "B23", name: "ChildView", expires: nil, by: .commandLine(organisation: "B23")).token
        _ = try await access.addOrganisation(by: root, code: "C41", name: "Eastvale YOT", kind: "yot")
        c41 = try await tokens.add(organisation: "C41", name: "Careworks", expires: nil, by: .commandLine(organisation: "C41")).token
        checker = DocumentChecker(options: ProcessingOptions(limits: XMLLimits(maxDocumentBytes: maxDocumentBytes)), schemaDirectory: Fixtures.xsdDirectory.path)
        self.settings = settings
    }

    var app: some ApplicationProtocol {
        get throws {
            let api = try APIServer.extensions(store: store, checker: checker, transfers: PortalTransfers(), settings: settings)
            return try PortalServer.application(store: store, access: access, checker: checker, extensions: api)
        }
    }

    /// A package of the contract's AssetPlus example (B23, TransferToProbation) for `code`.
    static func package(to code: String, transferId: String = TransferClock.newTransferId()) throws -> PackageBuilder.Built {
        let processor = DocumentProcessor(schemas: Fixtures.schemas)
        return try PackageBuilder(schemas: Fixtures.schemas, processor: processor, noco: CompletedNOCO()).build(.init(
            assessment: Data(contentsOf: URL(fileURLWithPath: Fixtures.sample("valid/contract-example-assetplus.xml"))), assessmentName: "AssetPlus.XML",
            kind: .youthToAdult, recipient: Organisation(code: code, name: "Receiving service"), transferId: transferId))
    }
}

/// One request: bearer token, body, content type and extra headers.
func call(
    _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String?, type: String? = nil, body: Data? = nil,
    headers extra: HTTPFields = [:]
) async throws -> TestResponse {
    var headers = extra
    if let token { headers[.authorization] = "Bearer \(token)" }
    if let type { headers[.contentType] = type }
    return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(data: $0) })
}

func json(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(String(buffer: response.body))")
}

/// A problem document with this status and code, a request id, and no document value.
func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let body = try json(response)
    #expect(body["code"] as? String == code && body["status"] as? Int == status.code, "\(body)", sourceLocation: sourceLocation)
    #expect(body["requestId"] as? String == response.headers[HTTPField.Name("X-Request-Id")!], sourceLocation: sourceLocation)
}

@Suite("HTTP API: status codes")
struct APIStatusTests {
    static let valid = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.sample("valid/contract-example-assetplus.xml")))
    static let invalid = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.sample("invalid/asset-offence-seq-duplicated.xml")))

    @Test("401 without a token or with an unknown one; 403 for a revoked or expired one; all problem documents, all audited")
    func authentication() async throws {
        let harness = try await APIHarness()
        let revoked = try await APITokens(store: harness.store).add(organisation: "N07", name: "old feed", expires: nil, by: .commandLine(organisation: "N07"))
        _ = try await APITokens(store: harness.store).revoke(id: revoked.record.id, organisation: "N07", by: .commandLine(organisation: "N07"))
        let expired = "y2a_expired-token-for-the-test"
        _ = try await harness.store.addAPIToken(organisation: "N07", name: "expired feed", tokenHash: Tokens.hash(expired), createdAt: "2026-01-01T00:00:00Z", expiresAt: "2026-01-02T00:00:00Z")
        try await harness.app.test(.router) { client in
            let missing = try await call(client, .get, "/api/v1/transfers", token: nil)
            try expectProblem(missing, .unauthorized, "API-AUTH-MISSING")
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            try expectProblem(try await call(client, .get, "/api/v1/transfers", token: "y2a_not-issued-here"), .unauthorized, "API-AUTH-UNKNOWN")
            try expectProblem(try await call(client, .get, "/api/v1/transfers", token: revoked.token), .forbidden, "API-AUTH-REVOKED")
            try expectProblem(try await call(client, .get, "/api/v1/transfers", token: expired), .forbidden, "API-AUTH-EXPIRED")
            // A session cookie is no way in.
            try expectProblem(
                try await call(client, .get, "/api/v1/transfers", token: nil, headers: [.cookie: "y2a_session=anything"]), .unauthorized, "API-AUTH-MISSING")
            #expect(try await call(client, .get, "/api/v1/transfers", token: harness.n07).status == .ok)
        }
        let calls = try await harness.store.auditEvents(AuditQuery()).filter { $0.action == "api-call" }
        #expect(calls.count == 6)
        #expect(calls.filter { $0.outcome == "denied" }.count == 5)
        #expect(calls.contains { $0.actor == "token:old feed" && $0.organisationCode == "N07" && $0.outcome == "denied" })
        #expect(calls.contains { $0.actor == "token:nDelius feed" && $0.organisationCode == "N07" && $0.outcome == "ok" && $0.detail == "GET /api/v1/transfers 200" })
    }

    @Test("415 for a wrong content type, 413 over the size limit (declared, or counted while the body streams in), 422 with findings for an invalid document, 400 for an empty body")
    func bodies() async throws {
        let spool = try Fixtures.temporaryDirectory()
        let harness = try await APIHarness(maxDocumentBytes: 4096, settings: APISettings(spoolParent: spool))
        try await harness.app.test(.router) { client in
            try expectProblem(try await call(client, .post, "/api/v1/validate", token: harness.n07, type: "text/plain", body: Self.valid), .unsupportedMediaType, "API-MEDIA-TYPE")
            try expectProblem(try await call(client, .post, "/api/v1/packages", token: harness.n07, type: "application/xml", body: Self.valid), .unsupportedMediaType, "API-MEDIA-TYPE")
            let big = Data(repeating: UInt8(ascii: " "), count: 5000)
            try expectProblem(
                try await call(client, .post, "/api/v1/validate", token: harness.n07, type: "application/xml", body: big, headers: [.contentLength: "5000"]),
                .contentTooLarge, "API-TOO-LARGE")
            // No Content-Length: refused while the bytes arrive.
            try expectProblem(try await call(client, .post, "/api/v1/validate", token: harness.n07, type: "application/xml", body: big), .contentTooLarge, "API-TOO-LARGE")
            try expectProblem(try await call(client, .post, "/api/v1/validate", token: harness.n07, type: "application/xml", body: Data()), .badRequest, "API-EMPTY-BODY")

            let converted = try await call(client, .post, "/api/v1/convert", token: harness.n07, type: "application/xml", body: Self.invalid)
            try expectProblem(converted, .unprocessableContent, "API-INVALID-DOCUMENT")
            let findings = try #require(try json(converted)["findings"] as? [[String: Any]])
            #expect(findings.first?["code"] as? String == "XSD" && findings.first?["line"] as? Int == 35)
            // The same document through /validate: 200 with the findings, as `y2a validate --format json`.
            let validated = try await call(client, .post, "/api/v1/validate", token: harness.n07, type: "application/xml", body: Self.invalid, headers: [HTTPField.Name("X-Document-Name")!: "../Asset.XML"])
            #expect(validated.status == .ok)
            let file = try #require((try json(validated)["files"] as? [[String: Any]])?.first)
            #expect(file["valid"] as? Bool == false && file["path"] as? String == "Asset.XML" && (file["findings"] as? [Any])?.count == 1)
        }
        // Nothing spooled is left behind, refused or answered.
        let folders = try FileManager.default.contentsOfDirectory(atPath: spool.path)
        #expect(folders.count == 1)
        for folder in folders {
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent(folder).path).isEmpty)
        }
    }

    @Test("the validate JSON is the CLI's: the same files and summary as y2a validate --format json")
    func validateMatchesCLI() async throws {
        let harness = try await APIHarness()
        let sample = Fixtures.sample("invalid/asset-offence-seq-duplicated.xml")
        let cli = try Y2ACommand.run(["validate", "--format", "json", sample])
        let printed = cli.stdout
        try await harness.app.test(.router) { client in
            let expected = Self.comparable(try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any]))
            let response = try await call(client, .post, "/api/v1/validate", token: harness.n07, type: "application/xml", body: Self.invalid, headers: [HTTPField.Name("X-Document-Name")!: "asset-offence-seq-duplicated.xml"])
            let answer = Self.comparable(try json(response))
            #expect(NSDictionary(dictionary: answer).isEqual(to: expected), "\(answer)\n\(expected)")
        }
    }

    /// A run's JSON without what differs between two runs: the seconds, and the folder of the path.
    static func comparable(_ run: [String: Any]) -> [String: Any] {
        var run = run
        var summary = run["summary"] as? [String: Any] ?? [:]
        summary["seconds"] = nil
        run["summary"] = summary
        run["files"] = (run["files"] as? [[String: Any]] ?? []).map { file in
            var file = file
            file["path"] = (file["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent }
            return file
        }
        return run
    }

    @Test("429 with Retry-After over a token's rate; another token is not held back")
    func rateLimit() async throws {
        let harness = try await APIHarness(settings: APISettings(requestsPerMinute: 1, burst: 2))
        try await harness.app.test(.router) { client in
            #expect(try await call(client, .get, "/api/v1/transfers", token: harness.n07).status == .ok)
            #expect(try await call(client, .get, "/api/v1/transfers", token: harness.n07).status == .ok)
            let limited = try await call(client, .get, "/api/v1/transfers", token: harness.n07)
            try expectProblem(limited, .tooManyRequests, "API-RATE-LIMIT")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await call(client, .get, "/api/v1/transfers", token: harness.b23).status == .ok)
        }
    }

    @Test("an Idempotency-Key answers the first answer again for the same body, and 422 for another body; a client's X-Request-Id comes back and is in the audit trail")
    func idempotencyAndRequestIds() async throws {
        let harness = try await APIHarness()
        let package = try APIHarness.package(to: "N07")
        try await harness.app.test(.router) { client in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "delivery-1", HTTPField.Name("X-Request-Id")!: "cms-req-42"]
            let first = try await call(client, .post, "/api/v1/packages", token: harness.n07, type: "application/zip", body: package.package, headers: key)
            #expect(first.status == .ok && first.headers[HTTPField.Name("X-Request-Id")!] == "cms-req-42")
            let again = try await call(client, .post, "/api/v1/packages", token: harness.n07, type: "application/zip", body: package.package, headers: key)
            #expect(again.status == .ok && again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(Data(buffer: again.body) == Data(buffer: first.body))
            let other = try APIHarness.package(to: "N07")
            try expectProblem(
                try await call(client, .post, "/api/v1/packages", token: harness.n07, type: "application/zip", body: other.package, headers: key),
                .unprocessableContent, "API-IDEMPOTENCY-MISMATCH")
            // The key is the token's own: another token's same key is a new request.
            let b23 = try await call(client, .post, "/api/v1/packages", token: harness.b23, type: "application/zip", body: other.package, headers: key)
            #expect(b23.status == .ok && b23.headers[HTTPField.Name("Idempotent-Replayed")!] == nil)
        }
        #expect(try await harness.store.receivedPackages(receiver: "N07").count == 1)
        let events = try await harness.store.auditEvents(AuditQuery()).filter { $0.action == "api-call" }
        #expect(events.contains { $0.requestId == "cms-req-42" && $0.transferId == package.manifest.transferId && $0.actor == "token:nDelius feed" })
    }
}

@Suite("HTTP API: packages, transfers, receipts, cases")
struct APIFlowTests {
    @Test("a package for the caller is decided as y2a transfer import decides it; the same bytes get the same receipt; another organisation sees none of it (404)", arguments: TestStores.engines)
    func packagesAcrossOrganisations(engine: StoreKind) async throws {
        let harness = try await APIHarness(engine: engine)
        let ours = try APIHarness.package(to: "N07")
        let theirs = try APIHarness.package(to: "K99")
        try await harness.app.test(.router) { client in
            let accepted = try await call(client, .post, "/api/v1/packages", token: harness.n07, type: "application/zip", body: ours.package)
            #expect(accepted.status == .ok && accepted.headers[.contentType] == "application/xml")
            let receipt = try TransferReceipt.read(Data(buffer: accepted.body), reader: TransferDocumentReader(schema: Fixtures.schemas.transfer))
            #expect(receipt.decision == .accepted && receipt.transferId == ours.manifest.transferId)
            let repeated = try await call(client, .post, "/api/v1/packages", token: harness.n07, type: "application/zip", body: ours.package)
            #expect(Data(buffer: repeated.body) == Data(buffer: accepted.body))
            let rejected = try await call(client, .post, "/api/v1/packages", token: harness.n07, type: "application/zip", body: theirs.package)
            let refusal = try TransferReceipt.read(Data(buffer: rejected.body), reader: TransferDocumentReader(schema: Fixtures.schemas.transfer))
            #expect(rejected.status == .ok && refusal.decision == .rejected && refusal.reasons.map(\.code) == [.wrongRecipient])

            let incoming = try json(try await call(client, .get, "/api/v1/packages/incoming", token: harness.n07))
            let packages = try #require(incoming["packages"] as? [[String: Any]])
            #expect(packages.count == 2)
            let decided = try #require(packages.first { $0["transferId"] as? String == ours.manifest.transferId })
            #expect(decided["decision"] as? String == "accepted")
            let caseId = try #require(decided["caseId"] as? Int)
            let sha = try #require(decided["id"] as? String)
            #expect(try await call(client, .get, "/api/v1/packages/\(sha)", token: harness.n07).status == .ok)
            let record = try json(try await call(client, .get, "/api/v1/cases/\(caseId)", token: harness.n07))
            #expect((record["source"] as? [String: Any])?["fileName"] as? String == "AssetPlus.XML")
            let transfers = try json(try await call(client, .get, "/api/v1/transfers?direction=incoming", token: harness.n07))
            #expect((transfers["transfers"] as? [[String: Any]])?.compactMap { $0["status"] as? String }.sorted() == ["accepted", "rejected"])
            let one = try json(try await call(client, .get, "/api/v1/transfers/\(ours.manifest.transferId)", token: harness.n07))
            #expect((one["transfer"] as? [String: Any])?["direction"] as? String == "incoming")

            // B23 sent the package (its assessment names B23): it may read the case, as in the portal.
            #expect(try await call(client, .get, "/api/v1/cases/\(caseId)", token: harness.b23).status == .ok)
            // C41, party to nothing: exactly as for ids that do not exist.
            for (path, absent) in [
                ("/api/v1/cases/\(caseId)", "/api/v1/cases/999999"),
                ("/api/v1/packages/\(sha)", "/api/v1/packages/\(String(repeating: "0", count: 64))"),
                ("/api/v1/transfers/\(ours.manifest.transferId)", "/api/v1/transfers/\(TransferClock.newTransferId())"),
            ] {
                let other = try await call(client, .get, path, token: harness.c41)
                let none = try await call(client, .get, absent, token: harness.c41)
                try expectProblem(other, .notFound, "API-NOT-FOUND")
                let (otherDetail, noneDetail) = (try json(other)["detail"] as? String, try json(none)["detail"] as? String)
                #expect(other.status == none.status && otherDetail == noneDetail)
            }
            #expect((try json(try await call(client, .get, "/api/v1/packages/incoming", token: harness.c41))["packages"] as? [Any])?.isEmpty == true)
            #expect((try json(try await call(client, .get, "/api/v1/transfers", token: harness.c41))["transfers"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a receipt for one of the caller's outgoing transfers moves it; another organisation's transfer is not found; a receipt that is not one is refused", arguments: TestStores.engines)
    func receipts(engine: StoreKind) async throws {
        let harness = try await APIHarness(engine: engine)
        let built = try APIHarness.package(to: "N07")
        let ledger = TransferLedger(store: harness.store)
        try await ledger.recordExport(built.manifest, documentId: built.record.source.documentId, packageSha256: built.packageSha256)
        _ = try await ledger.move(built.manifest.transferId, to: .transferred, detail: "delivered")
        let receipt = TransferReceipt(
            transferId: built.manifest.transferId, decision: .accepted, decidedAt: "2026-12-06T09:00:00Z", decidedBy: .init(code: "N07", name: "Northtown PDU"), reasons: []
        ).xmlData()
        try await harness.app.test(.router) { client in
            try expectProblem(try await call(client, .post, "/api/v1/receipts", token: harness.n07, type: "application/xml", body: receipt), .notFound, "API-NOT-FOUND")
            try expectProblem(
                try await call(client, .post, "/api/v1/receipts", token: harness.b23, type: "application/xml", body: Data("<nope/>".utf8)), .unprocessableContent, "API-RECEIPT-INVALID")
            let applied = try await call(client, .post, "/api/v1/receipts", token: harness.b23, type: "application/xml", body: receipt)
            #expect(applied.status == .ok)
            #expect(try json(applied)["status"] as? String == "accepted")
            let outgoing = try json(try await call(client, .get, "/api/v1/transfers?direction=outgoing&status=accepted", token: harness.b23))
            #expect((outgoing["transfers"] as? [[String: Any]])?.map { $0["transferId"] as? String } == [built.manifest.transferId])
            let history = try json(try await call(client, .get, "/api/v1/transfers/\(built.manifest.transferId)", token: harness.b23))
            #expect((history["history"] as? [[String: Any]])?.compactMap { $0["toStatus"] as? String } == ["awaiting", "transferred", "accepted"])
            try expectProblem(try await call(client, .get, "/api/v1/transfers?since=yesterday", token: harness.b23), .badRequest, "API-BAD-REQUEST")
        }
    }

    @Test("operations: /health, /ready, /metrics (route templates, no ids), the OpenAPI document, 404 and 405 as problems")
    func operations() async throws {
        let harness = try await APIHarness()
        try await harness.app.test(.router) { client in
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
            _ = try await call(client, .get, "/api/v1/transfers/\(TransferClock.newTransferId())", token: harness.n07)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("y2a_http_requests_total{route=\"/api/v1/transfers/{id}\",method=\"GET\",status=\"404\"} 1"), "\(metrics)")
            #expect(metrics.contains("y2a_http_request_duration_seconds_bucket"))
            // Batch runs, which another process records in the store, are counted from it.
            let run = try await harness.store.beginBatchRun(now: Date())
            try await harness.store.finishBatchRun(run, status: "finished", summaryJSON: Data("{}".utf8), now: Date())
            let after = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(after.contains("y2a_batch_runs{status=\"finished\"} 1") && after.contains("y2a_batch_runs{status=\"failed\"} 0"), "\(after)")
            let document = String(buffer: try await client.execute(uri: "/api/v1/openapi.yaml", method: .get).body)
            #expect(document.hasPrefix("openapi: 3.1.0"))
            try expectProblem(try await call(client, .get, "/api/v1/nothing-here", token: harness.n07), .notFound, "API-NOT-FOUND")
            let wrong = try await call(client, .delete, "/api/v1/validate", token: harness.n07)
            try expectProblem(wrong, .methodNotAllowed, "API-METHOD")
            #expect(wrong.headers[.allow] == "POST")
        }
    }
}

@Suite("HTTP API: organisation boundaries")
struct APIWalkTests {
    /// Every API route of the router, as C41 (party to nothing) against what N07 holds: each
    /// one with an id answers exactly as a missing id does, and no answer carries N07's data.
    /// A route added later without a line here fails the test.
    @Test("every API route as another organisation: 404 like a missing id, none of N07's data", arguments: TestStores.engines)
    func everyRoute(engine: StoreKind) async throws {
        let harness = try await APIHarness(engine: engine)
        let api = try APIServer.extensions(store: harness.store, checker: harness.checker, transfers: PortalTransfers())
        let routes = Set(PortalServer.router(store: harness.store, access: harness.access, extensions: api).routes
            .map { "\($0.method.rawValue) \($0.path.description)" }.filter { $0.contains(" /api/v1/") })
        let package = try APIHarness.package(to: "N07")
        let receipt = TransferReceipt(
            transferId: package.manifest.transferId, decision: .accepted, decidedAt: "2026-12-06T09:00:00Z", decidedBy: .init(code: "N07", name: "Northtown PDU"), reasons: []
        ).xmlData()
        try await harness.app.test(.router) { client in
            // N07 takes the package in: a case, a decision, an incoming transfer.
            let decided = try await call(client, .post, "/api/v1/packages", token: harness.n07, type: "application/zip", body: package.package)
            let incoming = try #require((try json(try await call(client, .get, "/api/v1/packages/incoming", token: harness.n07))["packages"] as? [[String: Any]])?.first)
            let caseId = try #require(incoming["caseId"] as? Int), sha = try #require(incoming["id"] as? String)
            #expect(decided.status == .ok)

            let missingTransfer = TransferClock.newTransferId()
            let walked: [(route: String, ours: String, missing: String?, body: (String, Data)?)] = [
                ("GET /api/v1/cases/{id}", "/api/v1/cases/\(caseId)", "/api/v1/cases/999999", nil),
                ("GET /api/v1/packages/{id}", "/api/v1/packages/\(sha)", "/api/v1/packages/\(String(repeating: "a", count: 64))", nil),
                ("GET /api/v1/transfers/{id}", "/api/v1/transfers/\(package.manifest.transferId)", "/api/v1/transfers/\(missingTransfer)", nil),
                ("GET /api/v1/transfers", "/api/v1/transfers", nil, nil),
                ("GET /api/v1/packages/incoming", "/api/v1/packages/incoming", nil, nil),
                ("POST /api/v1/receipts", "/api/v1/receipts", nil, ("application/xml", receipt)),
                ("POST /api/v1/packages", "/api/v1/packages", nil, ("application/zip", package.package)),
                ("POST /api/v1/validate", "/api/v1/validate", nil, ("application/xml", APIStatusTests.valid)),
                ("POST /api/v1/convert", "/api/v1/convert", nil, ("application/xml", APIStatusTests.valid)),
                ("GET /api/v1/openapi.yaml", "/api/v1/openapi.yaml", nil, nil),
            ]
            #expect(Set(walked.map(\.route)) == routes, "API routes not walked: \(routes.subtracting(walked.map(\.route)))")
            for step in walked {
                let method: HTTPRequest.Method = step.route.hasPrefix("POST") ? .post : .get
                let answer = try await call(client, method, step.ours, token: harness.c41, type: step.body?.0, body: step.body?.1)
                let text = String(buffer: answer.body)
                if let missing = step.missing {
                    let none = try await call(client, .get, missing, token: harness.c41)
                    try expectProblem(answer, .notFound, "API-NOT-FOUND")
                    let (detail, missingDetail) = (try json(answer)["detail"] as? String, try json(none)["detail"] as? String)
                    #expect(answer.status == none.status && detail == missingDetail, "\(step.route)")
                }
                switch step.route {
                case _ where step.missing != nil:
                    break
                case "GET /api/v1/transfers", "GET /api/v1/packages/incoming":
                    #expect(!text.contains(package.manifest.transferId) && !text.contains(sha), "\(step.route): \(text)")
                case "POST /api/v1/receipts":
                    try expectProblem(answer, .notFound, "API-NOT-FOUND")
                case "POST /api/v1/packages":
                    // Not C41's to decide: its own decision, a rejection, and nothing of N07's.
                    #expect(answer.status == .ok && text.contains("WRONG_RECIPIENT"), "\(text)")
                default:
                    // Documents the caller sent itself (its own data, nothing stored), and the public contract.
                    #expect(answer.status == .ok, "\(step.route): \(text)")
                }
            }
        }
        // C41 holds nothing, and N07's case is still N07's only.
        let held = try await harness.store.casePage(CaseListQuery(), scope: OrganisationScope(["C41"]))
        #expect(held.cases.isEmpty)
    }
}
