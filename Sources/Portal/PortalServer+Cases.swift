import Access
import CaseRecord
import CaseStore
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

extension PortalServer {
    static func addCaseRoutes(_ router: Router<PortalContext>, store: any CaseRepository, access: AccessService) {
        router.get("/") { request, context -> Response in
            let caller = try context.caller(may: .readCases)
            let query = CaseListPage.query(from: FormFields.parse(Substring(request.uri.query ?? "")))
            let result = try await store.casePage(query, scope: caller.scope)
            // A search is recorded as a search and its count: the words are names, never stored.
            let searched = query.text != nil || query.dateOfBirth != nil
            try await access.audit.append(AuditEvent(
                caller, searched ? .search : .listCases, detail: "\(result.total) result\(result.total == 1 ? "" : "s")"))
            return Pages.html(CaseListPage(result: result, query: query, session: context.session).render())
        }
        router.get("/cases/:id") { _, context -> Response in
            let caller = try context.caller(may: .readCases)
            let id = try caseId(context)
            guard let (summary, record) = try await store.caseRecord(id: id, scope: caller.scope) else {
                return try await notFound(access, caller, .viewCase, caseId: id, context)
            }
            let related = try await store.cases(ofPerson: summary.personId, scope: caller.scope).filter { $0.id != id }.map {
                CasePage.RelatedCase(title: "\($0.assessedOn): \($0.framework) \(Words.stage($0.stage)) (\(Words.status($0.status)))", link: "/cases/\($0.id)")
            }
            let files = try await store.caseDocuments(caseId: id, scope: caller.scope)
            var noco: ReceivedNOCO?
            if let document = files.first(where: \.isNOCO),
               let (_, bytes) = try await store.caseDocumentBytes(caseId: id, documentId: document.id, scope: caller.scope) {
                noco = ReceivedNOCO(xml: bytes, link: "/cases/\(id)/documents/\(document.id)")
            }
            var page = CasePage(
                record: record, sourceLink: "/cases/\(id)/source", related: related, noco: noco,
                packageFiles: files.map { ($0.fileName, $0.mediaType, $0.sha256, "/cases/\(id)/documents/\($0.id)") })
            page.session = context.session
            if Policy.may(caller, .handleTransfers, .organisation(caller.organisation)), record.source.organisation.code == caller.organisation,
               !Sending.kinds(for: record).isEmpty {
                page.transferLink = "/cases/\(id)/transfer"
            }
            try await access.audit.append(AuditEvent(caller, .viewCase, caseId: id))
            return Pages.html(page.render())
        }
        router.get("/cases/:id/source") { _, context -> Response in
            let caller = try context.caller(may: .readCases)
            let id = try caseId(context)
            guard let source = try await store.sourceDocument(caseId: id, scope: caller.scope) else {
                return try await notFound(access, caller, .downloadSource, caseId: id, context)
            }
            try await access.audit.append(AuditEvent(caller, .downloadSource, caseId: id))
            let fileName = Framework(rawValue: source.framework)?.fileName ?? "source.xml"
            let headers: HTTPFields = [.contentType: "application/xml", .contentDisposition: "attachment; filename=\"\(fileName)\""]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: source.bytes)))
        }
        router.get("/cases/:id/documents/:document") { _, context -> Response in
            let caller = try context.caller(may: .readCases)
            let id = try caseId(context)
            guard let documentId = context.parameters.get("document", as: Int64.self) else { throw PortalError.notFound }
            guard let (document, bytes) = try await store.caseDocumentBytes(caseId: id, documentId: documentId, scope: caller.scope) else {
                return try await notFound(access, caller, .downloadDocument, caseId: id, context)
            }
            try await access.audit.append(AuditEvent(caller, .downloadDocument, caseId: id, transferId: document.transferId, detail: "document \(documentId)"))
            // Served as a download, never rendered: an attachment is not trusted content.
            let name = URL(fileURLWithPath: document.fileName).lastPathComponent.filter { $0.isLetter || $0.isNumber || ".-_".contains($0) }
            let headers: HTTPFields = [.contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"\(name)\""]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/cases/:id/case.json") { _, context -> Response in
            let caller = try context.caller(may: .readCases)
            let id = try caseId(context)
            guard let (_, record) = try await store.caseRecord(id: id, scope: caller.scope) else {
                return try await notFound(access, caller, .viewCaseJSON, caseId: id, context)
            }
            try await access.audit.append(AuditEvent(caller, .viewCaseJSON, caseId: id))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try record.jsonData())))
        }
    }

    /// A case id from the path; anything that is not one is simply not found.
    static func caseId(_ context: PortalContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound }
        return id
    }

    /// Not found (missing, or another organisation's: the same answer), and recorded as such.
    static func notFound(_ access: AccessService, _ caller: Caller, _ action: AuditAction, caseId: Int64, _ context: PortalContext) async throws -> Response {
        try await access.audit.append(AuditEvent(caller, action, .notFound, caseId: caseId))
        return Pages.notFound(session: context.session)
    }
}
