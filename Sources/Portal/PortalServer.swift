public import CaseStore
import CaseRecord
import Foundation
public import Hummingbird
import HTTPTypes
import NIOCore

/// The Y2A portal web server: case list, case pages, stored source documents. Read-only;
/// bound to loopback unless told otherwise.
public enum PortalServer {
    /// Headers on every page: nothing loads from elsewhere, nothing is cached, nothing framed.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        .cacheControl: "no-store",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
    ]

    /// Builds the router over a store.
    public static func router(store: CaseStore) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { request, _ -> Response in
            let parameters = request.uri.queryParameters
            let query = CaseQuery(
                text: parameters.get("q"),
                framework: parameters.get("framework").flatMap(Framework.init(rawValue:)),
                transferStatus: parameters.get("status"))
            let cases = try store.cases(query)
            return html(CaseListPage(cases: cases, query: query).render())
        }
        router.get("/cases/:id") { _, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let (summary, record) = try store.caseRecord(id: id) else { return notFound() }
            let related = try store.cases(ofPerson: summary.personId).filter { $0.id != id }.map {
                CasePage.RelatedCase(title: "\($0.assessedOn): \($0.framework) \($0.stage) (\($0.status))", link: "/cases/\($0.id)")
            }
            let files = try store.caseDocuments(caseId: id)
            let noco = try files.first(where: \.isNOCO).flatMap { document in
                try store.caseDocumentBytes(caseId: id, documentId: document.id).flatMap {
                    ReceivedNOCO(xml: $0.bytes, link: "/cases/\(id)/documents/\(document.id)")
                }
            }
            let page = CasePage(
                record: record, sourceLink: "/cases/\(id)/source", related: related, noco: noco,
                packageFiles: files.map { ($0.fileName, $0.mediaType, $0.sha256, "/cases/\(id)/documents/\($0.id)") })
            return html(page.render())
        }
        router.get("/cases/:id/source") { _, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let source = try store.sourceDocument(caseId: id) else { return notFound() }
            let fileName = Framework(rawValue: source.framework)?.fileName ?? "source.xml"
            var headers = securityHeaders
            headers[.contentType] = "application/xml"
            headers[.contentDisposition] = "attachment; filename=\"\(fileName)\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: source.bytes)))
        }
        router.get("/cases/:id/documents/:document") { _, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            let documentId = try context.parameters.require("document", as: Int64.self)
            guard let (document, bytes) = try store.caseDocumentBytes(caseId: id, documentId: documentId) else { return notFound() }
            var headers = securityHeaders
            // Served as a download, never rendered: an attachment is not trusted content.
            headers[.contentType] = "application/octet-stream"
            let name = URL(fileURLWithPath: document.fileName).lastPathComponent.filter { $0.isLetter || $0.isNumber || ".-_".contains($0) }
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/cases/:id/case.json") { _, context -> Response in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let (_, record) = try store.caseRecord(id: id) else { return notFound() }
            var headers = securityHeaders
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try record.jsonData())))
        }
        router.get("/health") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        return router
    }

    /// The application, listening on `host:port` (port 0: any free port, reported through `onRunning`).
    public static func application(
        store: CaseStore, host: String = "127.0.0.1", port: Int = 8080,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(store: store),
            configuration: .init(address: .hostname(host, port: port), serverName: "y2a"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
    }

    static func html(_ page: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func notFound() -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        let page = PageFrame.page(title: "Not found — Y2A Gateway", body: "<h1>Not found</h1><p><a href=\"/\">Back to the case list</a></p>")
        return Response(status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }
}
