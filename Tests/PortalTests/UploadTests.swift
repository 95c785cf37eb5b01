import Access
import CaseStore
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
@testable import Portal
import TestSupport
import Testing
import XMLSupport

/// A multipart/form-data body as a browser sends it: fields first, in order.
struct MultipartBody {
    static let boundary = "----y2aTestBoundary7MA4YWxkTrZu0gW"
    var parts: [(name: String, fileName: String?, bytes: Data)]

    var data: Data {
        var body = Data()
        for part in parts {
            body += Data("--\(Self.boundary)\r\n".utf8)
            if let fileName = part.fileName {
                body += Data("Content-Disposition: form-data; name=\"\(part.name)\"; filename=\"\(fileName)\"\r\nContent-Type: application/xml\r\n\r\n".utf8)
            } else {
                body += Data("Content-Disposition: form-data; name=\"\(part.name)\"\r\n\r\n".utf8)
            }
            body += part.bytes
            body += Data("\r\n".utf8)
        }
        body += Data("--\(Self.boundary)--\r\n".utf8)
        return body
    }
}

extension Browser {
    /// Posts files as the upload form does, the page's token first (unless `csrf` says otherwise).
    mutating func upload(_ client: some TestClientProtocol, _ files: [(String, Data)], csrf: String? = nil) async throws -> TestResponse {
        let body = MultipartBody(parts: [("csrf", nil, Data((csrf ?? self.csrf ?? "").utf8))] + files.map { ("files", $0.0, $0.1) })
        var headers = headers
        headers[.contentType] = "multipart/form-data; boundary=\(MultipartBody.boundary)"
        let response = try await client.execute(uri: "/uploads", method: .post, headers: headers, body: ByteBuffer(data: body.data))
        absorb(response)
        return response
    }
}

@Suite("Multipart parser")
struct MultipartParserTests {
    /// Every part's name, file name and bytes, fed in pieces of `size` bytes.
    static func parse(_ body: Data, in size: Int) throws -> [(MultipartParser.PartHead, [UInt8])] {
        var parser = MultipartParser(boundary: MultipartBody.boundary)
        var parts: [(MultipartParser.PartHead, [UInt8])] = []
        var offset = 0
        let bytes = [UInt8](body)
        while offset < bytes.count {
            for event in try parser.feed(bytes[offset..<min(offset + size, bytes.count)]) {
                switch event {
                case .partStart(let head): parts.append((head, []))
                case .data(let data): parts[parts.count - 1].1 += data
                case .partEnd: break
                }
            }
            offset += size
        }
        #expect(parser.isFinished)
        return parts
    }

    @Test("the same parts whatever the chunk size, with CRLF and near-boundaries inside a file kept as they are")
    func chunking() throws {
        let tricky = Data("<a>\r\n--\r\n------y2aTest\r\n--\(MultipartBody.boundary.dropLast())x</a>\r\n".utf8)
        let body = MultipartBody(parts: [("csrf", nil, Data("token".utf8)), ("files", "dir/Asset.XML", tricky), ("files", "b.xml", Data())]).data
        for size in [1, 2, 3, 7, 16, 64, 1000, body.count] {
            let parts = try Self.parse(body, in: size)
            #expect(parts.map(\.0.name) == ["csrf", "files", "files"], "chunk size \(size)")
            #expect(parts.map(\.0.fileName) == [nil, "dir/Asset.XML", "b.xml"])
            #expect(parts.map { Data($0.1) } == [Data("token".utf8), tricky, Data()], "chunk size \(size)")
        }
    }

    @Test("a boundary is read from the Content-Type; a body without its closing delimiter is not finished; garbage headers are refused")
    func edges() throws {
        #expect(MultipartParser.boundary(contentType: "multipart/form-data; boundary=\"abc def\"") == "abc def")
        #expect(MultipartParser.boundary(contentType: "multipart/form-data; charset=utf-8; boundary=xyz") == "xyz")
        #expect(MultipartParser.boundary(contentType: "multipart/form-data") == nil)
        #expect(MultipartParser.boundary(contentType: "application/x-www-form-urlencoded; boundary=xyz") == nil)
        #expect(MultipartParser.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "a", count: 71)) == nil)
        var parser = MultipartParser(boundary: "b")
        _ = try parser.feed(Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\npartial".utf8))
        #expect(!parser.isFinished)
        var bad = MultipartParser(boundary: "b")
        #expect(throws: MultipartParser.Malformed.self) { try bad.feed(Array("--b\r\nX-Nothing: here\r\n\r\nbody\r\n--b--".utf8)) }
        var long = MultipartParser(boundary: "b")
        #expect(throws: MultipartParser.Malformed.self) { try long.feed(Array("--b\r\n".utf8) + [UInt8](repeating: 65, count: 9000)) }
    }

    @Test("file names are reduced to a safe last component")
    func names() {
        #expect(UploadReceiver.safeName("C:\\exports\\Asset.XML") == "Asset.XML")
        #expect(UploadReceiver.safeName("../../etc/passwd") == "passwd")
        #expect(UploadReceiver.safeName("<script>.xml") == "script.xml")
        #expect(UploadReceiver.safeName("..") == "upload.xml")
    }
}

@Suite("Upload and check")
struct UploadTests {
    struct Setup {
        let harness: PortalHarness
        let shelf: UploadShelf
        let parent: URL

        init(maxFileBytes: Int64 = XMLLimits.default.maxDocumentBytes) async throws {
            harness = try await PortalHarness(samples: false)
            parent = try Fixtures.temporaryDirectory()
            shelf = try UploadShelf(parent: parent)
            checker = DocumentChecker(options: ProcessingOptions(limits: XMLLimits(maxDocumentBytes: maxFileBytes)), schemaDirectory: Fixtures.xsdDirectory.path)
        }

        let checker: DocumentChecker

        var app: some ApplicationProtocol {
            get throws {
                try PortalServer.application(store: harness.store, access: harness.access, configuration: harness.configuration, checker: checker, uploads: shelf)
            }
        }

        /// The temporary files waiting on the shelf.
        var kept: [URL] {
            (try? FileManager.default.contentsOfDirectory(at: shelf.folder, includingPropertiesForKeys: nil)) ?? []
        }
    }

    static let valid = "valid/contract-example-assetplus.xml"
    static let invalid = "invalid/asset-offence-seq-duplicated.xml"

    @Test("an admin uploads two files: each shows its findings exactly as y2a validate gives them; the valid one is stored as a case of the organisation; all audited")
    func uploadCheckStore() async throws {
        let setup = try await Setup()
        let validBytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(Self.valid)))
        let invalidBytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(Self.invalid)))
        let expected = try Fixtures.process(file: Fixtures.sample(Self.invalid)).report
        #expect(!expected.valid && !expected.findings.isEmpty)
        try await setup.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "bob")
            let form = try await browser.get(client, "/uploads")
            #expect(form.status == .ok)
            let formBody = String(buffer: form.body)
            // The token is the form's first field, before the file input.
            let tokenAt = try #require(formBody.range(of: "name=\"csrf\""))
            let fileAt = try #require(formBody.range(of: "type=\"file\""))
            #expect(tokenAt.lowerBound < fileAt.lowerBound && formBody.contains("enctype=\"multipart/form-data\""))
            let response = try await browser.upload(client, [("AssetPlus.XML", validBytes), ("exports/Smith-John.xml", invalidBytes)])
            #expect(response.status == .ok)
            let page = String(buffer: response.body)
            #expect(page.contains("<h2>AssetPlus.XML</h2>") && page.contains("<h2>Smith-John.xml</h2>"))
            #expect(page.contains("Valid AssetPlus document"))
            #expect(page.contains("Not valid: \(expected.errorCount) error"))
            for finding in expected.findings {
                let row = "<tr><td>\(finding.severity.rawValue)</td><td>\(escapeHTML(finding.code))</td><td>\(finding.line.map(String.init) ?? "")</td><td>\(escapeHTML(finding.path ?? ""))</td><td>\(escapeHTML(finding.message))</td></tr>"
                #expect(page.contains(row), "the page lacks \(finding.code) at line \(finding.line ?? 0)")
            }
            // One store button: for the valid file.
            let links = page.matches(of: /action="(\/uploads\/[A-Za-z0-9_-]+\/store)"/).map { String($0.output.1) }
            #expect(links.count == 1)
            let link = try #require(links.first)
            // Waiting on the shelf: the valid file only, 0600 in a 0700 folder.
            #expect(setup.kept.count == 1)
            let folderMode = try FileManager.default.attributesOfItem(atPath: setup.shelf.folder.path)[.posixPermissions] as? Int
            let fileMode = try FileManager.default.attributesOfItem(atPath: setup.kept[0].path)[.posixPermissions] as? Int
            #expect(folderMode == 0o700 && fileMode == 0o600)
            #expect(try Data(contentsOf: setup.kept[0]) == validBytes)

            let stored = try await browser.post(client, link, [:])
            #expect(stored.status == .ok)
            let storedPage = String(buffer: stored.body)
            let caseId = try #require(storedPage.firstMatch(of: /Stored as case (\d+)\./).map { Int64($0.output.1)! })
            #expect(try await setup.harness.store.caseRecord(id: caseId, scope: OrganisationScope(["B23"])) != nil)
            #expect(try await setup.harness.store.caseRecord(id: caseId, scope: OrganisationScope(["N07"])) == nil)
            #expect(try await setup.harness.store.sourceDocument(caseId: caseId)?.bytes == validBytes)
            #expect(setup.kept.isEmpty, "the temporary file is gone once stored")
            // The token is spent.
            #expect(try await browser.post(client, link, [:]).status == .notFound)
        }
        let events = try await setup.harness.store.auditEvents(.init(actor: "bob"))
        let uploads = events.filter { $0.action == "upload" }
        #expect(uploads.count == 2)
        #expect(uploads.contains { $0.detail?.hasPrefix("AssetPlus valid, 0 errors") == true })
        #expect(uploads.contains { $0.detail?.hasPrefix("Asset invalid, \(expected.errorCount) errors") == true })
        #expect(events.contains { $0.action == "store" && $0.outcome == "ok" && $0.caseId != nil })
        #expect(events.contains { $0.action == "store" && $0.outcome == "not-found" })
        #expect(!events.contains { ($0.detail ?? "").contains("Smith") || ($0.detail ?? "").contains(".xml") })
    }

    @Test("a forged or stale upload (no token first, a wrong token) is refused before any file is written")
    func csrf() async throws {
        let setup = try await Setup()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(Self.valid)))
        try await setup.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "bob")
            #expect(try await browser.upload(client, [("AssetPlus.XML", bytes)], csrf: "forged").status == .forbidden)
            // The file before the token.
            let body = MultipartBody(parts: [("files", "AssetPlus.XML", bytes), ("csrf", nil, Data((browser.csrf ?? "").utf8))]).data
            var headers = browser.headers
            headers[.contentType] = "multipart/form-data; boundary=\(MultipartBody.boundary)"
            let response = try await client.execute(uri: "/uploads", method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(response.status == .forbidden && String(buffer: response.body).contains("Form expired"))
            #expect(setup.kept.isEmpty)
        }
    }

    @Test("a file over the CLI's size limit is refused (413) and nothing is kept")
    func sizeLimit() async throws {
        let setup = try await Setup(maxFileBytes: 1000)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(Self.valid)))
        #expect(bytes.count > 1000)
        try await setup.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "bob")
            let response = try await browser.upload(client, [("AssetPlus.XML", bytes)])
            #expect(response.status == .contentTooLarge)
            #expect(setup.kept.isEmpty)
        }
        let events = try await setup.harness.store.auditEvents(.init(actor: "bob"))
        #expect(events.contains { $0.action == "upload" && $0.outcome == "denied" })
    }

    @Test("admins only: a practitioner is refused; another organisation's upload is not found")
    func roles() async throws {
        let setup = try await Setup()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(Self.valid)))
        try await setup.app.test(.router) { client in
            var nina = Browser()
            _ = try await nina.signIn(client, "nina")
            #expect(try await nina.get(client, "/uploads").status == .forbidden)
            #expect(try await nina.upload(client, [("AssetPlus.XML", bytes)]).status == .forbidden)
            #expect(setup.kept.isEmpty)
            var bob = Browser()
            _ = try await bob.signIn(client, "bob")
            let page = String(buffer: try await bob.upload(client, [("AssetPlus.XML", bytes)]).body)
            let link = try #require(page.firstMatch(of: /action="(\/uploads\/[A-Za-z0-9_-]+\/store)"/).map { String($0.output.1) })
            var alice = Browser()
            _ = try await alice.signIn(client, "alice")
            let other = try await alice.post(client, link, [:])
            let missing = try await alice.post(client, "/uploads/nothing-here/store", [:])
            #expect(other.status == .notFound && String(buffer: other.body) == String(buffer: missing.body))
            #expect(try await nina.post(client, link, [:]).status == .forbidden)
            #expect(setup.kept.count == 1, "bob's upload is still his to store")
        }
    }
}

@Suite("Upload shelf")
struct UploadShelfTests {
    /// Keeps an empty file on `shelf` for `organisation`, `age` seconds old.
    static func keep(_ shelf: UploadShelf, _ organisation: String, age: TimeInterval, now: Date) throws -> (token: String, file: URL) {
        let file = shelf.folder.appendingPathComponent(UUID().uuidString)
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
        let token = UUID().uuidString
        shelf.keep(.init(
            token: token, organisation: organisation, accountId: nil, file: ReceivedFile(fileName: "AssetPlus.XML", url: file, bytes: 1),
            report: DocumentReport(path: file.path, format: nil, findings: [], moreFindings: 0, bytes: 1), keptAt: now.addingTimeInterval(-age)))
        return (token, file)
    }

    @Test("an organisation's oldest upload goes (file and all) once it has the most the shelf keeps; another organisation's stay")
    func bounded() throws {
        let shelf = try UploadShelf(parent: try Fixtures.temporaryDirectory(), maxPerOrganisation: 2)
        let now = Date()
        let other = try Self.keep(shelf, "N07", age: 30, now: now)
        let oldest = try Self.keep(shelf, "B23", age: 20, now: now)
        let middle = try Self.keep(shelf, "B23", age: 10, now: now)
        let newest = try Self.keep(shelf, "B23", age: 0, now: now)
        #expect(shelf.upload(oldest.token, organisation: "B23", now: now) == nil)
        #expect(!FileManager.default.fileExists(atPath: oldest.file.path))
        for kept in [middle, newest] {
            #expect(shelf.upload(kept.token, organisation: "B23", now: now) != nil)
            #expect(FileManager.default.fileExists(atPath: kept.file.path))
        }
        #expect(shelf.upload(other.token, organisation: "N07", now: now) != nil)
        #expect(shelf.upload(other.token, organisation: "B23", now: now) == nil)
    }
}
