import Access
import CaseRecord
import CaseStore
import Gateway
import Foundation
import Hummingbird
import HTTPTypes

extension PortalServer {
    /// The paths whose POST is a file upload (`multipart/form-data`): the front door leaves their
    /// body to the route, which reads the CSRF token as the upload's first part.
    static let uploadPaths: Set<String> = ["/uploads"]

    static func addUploadRoutes(_ router: Router<PortalContext>, store: any CaseRepository, access: AccessService, checker: DocumentChecker, shelf: UploadShelf) {
        router.get("/uploads") { _, context -> Response in
            _ = try context.caller(may: .uploadCases, .organisation(context.session?.caller.organisation ?? ""))
            return Pages.html(UploadPage(maxFileBytes: checker.maxFileBytes, session: context.session).render())
        }
        router.post("/uploads") { request, context -> Response in
            let caller = try context.caller(may: .uploadCases, .organisation(context.session?.caller.organisation ?? ""))
            guard let session = context.session, let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/form-data") else {
                throw PortalError.badRequest("The upload was not sent as a file upload form.")
            }
            let receiver = UploadReceiver(folder: shelf.folder, maxFileBytes: checker.maxFileBytes, maxFiles: 20)
            let files: [ReceivedFile]
            do {
                files = try await receiver.receive(request.body, contentType: contentType, csrf: session.csrfToken)
            } catch {
                try await access.audit.append(AuditEvent(caller, .upload, error is PortalError ? .denied : .failed, detail: "\(error)".prefix(80).description))
                throw error
            }
            var checked: [UploadPage.Checked] = []
            for (index, file) in files.enumerated() {
                let result: (report: DocumentReport, record: CaseRecord?)
                do {
                    result = try await checker.check(file.url, name: file.fileName)
                } catch {
                    UploadShelf.discard(Array(files[index...]))
                    throw error
                }
                var token: String?
                if result.record != nil {
                    let kept = Tokens.random()
                    shelf.keep(.init(token: kept, organisation: caller.organisation, accountId: caller.accountId, file: file, report: result.report, keptAt: Date()))
                    token = kept
                } else {
                    UploadShelf.discard([file])
                }
                // The trail gets the verdict and counts, never the file's name (it may be a child's).
                let report = result.report
                try await access.audit.append(AuditEvent(
                    caller, .upload,
                    detail: "\(report.format?.rawValue ?? "unknown format") \(report.valid ? "valid" : "invalid"), \(report.errorCount) errors, \(report.warningCount) warnings, \(file.bytes) bytes"))
                checked.append(.init(token: token, fileName: file.fileName, report: report))
            }
            return Pages.html(UploadPage(checked: checked, maxFileBytes: checker.maxFileBytes, session: context.session).render())
        }
        router.post("/uploads/:upload/store") { _, context -> Response in
            let caller = try context.caller(may: .uploadCases, .organisation(context.session?.caller.organisation ?? ""))
            let token = context.parameters.get("upload") ?? ""
            guard let upload = shelf.upload(token, organisation: caller.organisation) else {
                try await access.audit.append(AuditEvent(caller, .storeUpload, .notFound))
                return Pages.notFound(session: context.session)
            }
            // Checked again rather than kept in memory since the upload (the file is private to
            // this process); the schemas have not changed in between, so it is valid again.
            guard let record = try await checker.check(upload.file.url, name: upload.file.fileName).record else {
                shelf.remove(token)
                try await access.audit.append(AuditEvent(caller, .storeUpload, .failed, detail: "no longer valid"))
                return Pages.error(.conflict, title: "Not stored", message: "The file no longer passes its checks; upload it again.", session: context.session)
            }
            let bytes = try Data(contentsOf: upload.file.url)
            let outcome = try await store.store(record, sourceXML: bytes, sourceName: upload.file.fileName, now: Date(), holders: [caller.organisation])
            shelf.remove(token)
            let stored: (Int64, Bool)
            switch outcome {
            case .stored(let id, _): stored = (id, false)
            case .alreadyStored(let id): stored = (id, true)
            }
            try await access.audit.append(AuditEvent(caller, .storeUpload, caseId: stored.0, detail: stored.1 ? "stored before" : "stored"))
            return Pages.html(UploadPage(stored: stored, maxFileBytes: checker.maxFileBytes, session: context.session).render())
        }
    }
}
