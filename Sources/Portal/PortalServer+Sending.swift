import Access
import CaseRecord
import CaseStore
import Crypto
import Foundation
import Gateway
import Hummingbird
import HTTPTypes
import NOCO
import Transfers

extension PortalServer {
    /// Preparing, previewing, sending and re-sending a transfer of a case: an administrator of
    /// the organisation whose case it is (through `Policy`'s `handleTransfers`), the case read
    /// through the caller's scope (another organisation's answers 404 as a missing one does).
    /// Packages are built by `PackageBuilder`, recorded and delivered by `TransferLedger`, and a
    /// recipient on this hub decides by `PackageImporter`: the same code as `y2a transfer`.
    static func addSendingRoutes(_ router: Router<PortalContext>, store: any Store, access: AccessService, checker: DocumentChecker, transfers: PortalTransfers) {
        let sending = Sending(store: store, access: access, checker: checker, transfers: transfers)
        router.get("/cases/:id/transfer") { request, context -> Response in
            guard let prepared = try await sending.prepared(context) else { return Pages.notFound(session: context.session) }
            let fields = FormFields.parse(Substring(request.uri.query ?? ""))
            return Pages.html(try sending.page(prepared, fields: fields, session: context.session).render())
        }
        router.post("/cases/:id/transfer") { _, context -> Response in
            guard let prepared = try await sending.prepared(context) else { return Pages.notFound(session: context.session) }
            return try await sending.submit(prepared, fields: context.form, session: context.session)
        }
        router.post("/cases/:id/transfer/preview") { _, context -> Response in
            guard let prepared = try await sending.prepared(context) else { return Pages.notFound(session: context.session) }
            return try await sending.preview(prepared, fields: context.form, session: context.session)
        }
        router.post("/transfers/:transfer/resend") { _, context -> Response in
            try await sending.resend(context)
        }
    }
}

/// The work behind the sending routes.
struct Sending: Sendable {
    let store: any Store
    let access: AccessService
    let checker: DocumentChecker
    let transfers: PortalTransfers

    /// A case the caller may send, with the organisations it may go to.
    struct Prepared {
        var caller: Caller
        var caseId: Int64
        var summary: CaseSummary
        var record: CaseRecord
        var recipients: [TransferPreparePage.Recipient]
    }

    /// The caller's case (nil: not found, recorded as such), once `Policy` lets them send.
    func prepared(_ context: PortalContext) async throws -> Prepared? {
        let caller = try context.caller(may: .handleTransfers, .organisation(context.session?.caller.organisation ?? ""))
        let id = try PortalServer.caseId(context)
        guard let (summary, record) = try await store.caseRecord(id: id, scope: caller.scope) else {
            try await access.audit.append(AuditEvent(caller, .transferPrepare, .notFound, caseId: id))
            return nil
        }
        let recipients = try await access.accounts.organisations()
            .filter { $0.code != caller.organisation && $0.kind != "hub" }
            .map { TransferPreparePage.Recipient(code: $0.code, name: $0.name) }
        return Prepared(caller: caller, caseId: id, summary: summary, record: record, recipients: recipients)
    }

    /// The kinds whose transfer stage is this record's stage.
    static func kinds(for record: CaseRecord) -> [TransferKind] {
        [TransferKind.youthToAdult, .yotToYot].filter { AssessmentCheck.requiredStage(for: $0, framework: record.source.format) == record.assessment.stage }
    }

    /// Why this case cannot be sent by the caller at all, or nil.
    static func unsendable(_ prepared: Prepared) -> String? {
        let record = prepared.record
        let code = record.source.organisation.code
        if code != prepared.caller.organisation {
            return "The assessment names \(code) as its organisation: only \(code) can send it."
        }
        if kinds(for: record).isEmpty {
            return "The assessment's stage is \(record.assessment.stage), which is not a transfer stage (TransferToProbation, TransferYotToYot, TransferToAdult or YotTransfer)."
        }
        return nil
    }

    /// The sender as the manifest and the NOCO name it: the organisation the assessment names.
    static func sender(_ record: CaseRecord) -> Organisation {
        Organisation(code: record.source.organisation.code, name: record.source.organisation.name)
    }

    static func completion(_ fields: [String: String]) -> NOCOCompletion {
        NOCOCompletion(
            likelihoodOfReoffending: fields["likelihoodOfReoffending"], yogrs: fields["yogrs"], mappaCategory: fields["mappaCategory"],
            mappaLevel: fields["mappaLevel"], currentDisposal: fields["currentDisposal"], specificNeeds: fields["specificNeeds"],
            transitionHelp: fields["transitionHelp"], contactName: fields["contactName"], contactPhone: fields["contactPhone"],
            contactEmail: fields["contactEmail"])
    }

    /// The recipient the form names: an organisation of the hub, or (with a drop folder) one
    /// given by code and name. Nil with the reason when it names none.
    func chosenRecipient(_ prepared: Prepared, fields: [String: String]) -> (Organisation?, onHub: Bool, problem: String?) {
        guard let to = fields["to"], !to.isEmpty else { return (nil, false, "Choose the recipient.") }
        if to == TransferPreparePage.elsewhere, transfers.dropFolder != nil {
            let code = fields["toCode"]?.trimmingCharacters(in: .whitespaces) ?? ""
            let name = fields["toName"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard NOCOGenerator.isOrganisationCode(code) else { return (nil, false, "The recipient's code must be 3 to 8 capital letters or digits (for example N07).") }
            guard (1...NOCOGenerator.maxName).contains(name.count) else { return (nil, false, "The recipient's name must be 1 to \(NOCOGenerator.maxName) characters.") }
            guard !prepared.recipients.contains(where: { $0.code == code }) else { return (nil, false, "\(code) is on this hub: choose it from the list.") }
            return (Organisation(code: code, name: name), false, nil)
        }
        guard let found = prepared.recipients.first(where: { $0.code == to }) else { return (nil, false, "Choose a recipient from the list.") }
        return (Organisation(code: found.code, name: found.name), true, nil)
    }

    /// The form: kind and recipient, the NOCO's gaps and receiver actions for the values given.
    func page(
        _ prepared: Prepared, fields: [String: String], session: AuthenticatedSession?,
        problems: [NOCOCompletion.Problem] = [], refusal: [String] = [], notice: String? = nil
    ) throws -> TransferPreparePage {
        let record = prepared.record
        let kinds = Self.kinds(for: record)
        let kind = fields["kind"].flatMap(TransferKind.init(rawValue:)) ?? kinds.first ?? .youthToAdult
        let completion = Self.completion(fields)
        var page = TransferPreparePage(
            caseId: prepared.caseId,
            caseTitle: "person id \(record.person.id ?? "—"), \(record.source.format.rawValue) \(Words.stage(record.assessment.stage)), assessed \(record.assessment.assessedOn)",
            kind: kind, recipients: prepared.recipients, to: fields["to"], elsewhereCode: fields["toCode"] ?? "", elsewhereName: fields["toName"] ?? "",
            offersElsewhere: transfers.dropFolder != nil, completion: completion, problems: problems, refusal: refusal, notice: notice,
            resends: fields["resends"].flatMap { NOCO.NOCORequest.isTransferId($0) ? $0.lowercased() : nil }, session: session)
        if let why = Self.unsendable(prepared) {
            page.canSend = false
            page.refusal.append(why)
        }
        guard page.canSend, kind == .youthToAdult, let to = page.to, !to.isEmpty else { return page }
        // The gaps the generator leaves (the fields stay on the form once filled); the receiver
        // actions as the values given make them.
        let (recipient, _, _) = chosenRecipient(prepared, fields: fields)
        let request = Transfers.NOCORequest(
            transferId: NOCO.NOCORequest.newTransferId(), kind: kind, generatedAt: Date(), from: Self.sender(record),
            to: recipient ?? Organisation(code: "NEW", name: "the recipient"), record: record)
        do {
            page.gaps = try CompletedNOCO().document(for: request).document.gaps
            page.receiverActions = try CompletedNOCO(completion: completion).document(for: request).document.receiverActions
        } catch {
            page.refusal.append("The NOCO cannot be made for this case: \(error)")
        }
        return page
    }

    /// POST of the form: check the values, or build and send the package.
    func submit(_ prepared: Prepared, fields: [String: String], session: AuthenticatedSession?) async throws -> Response {
        let caller = prepared.caller
        guard Self.unsendable(prepared) == nil else {
            try await access.audit.append(AuditEvent(caller, .transferPrepare, .denied, caseId: prepared.caseId, detail: "not sendable"))
            return Pages.html(try page(prepared, fields: fields, session: session).render(), status: .badRequest)
        }
        let completion = Self.completion(fields)
        let problems = completion.problems()
        let (recipient, onHub, recipientProblem) = chosenRecipient(prepared, fields: fields)
        var refusal = recipientProblem.map { [$0] } ?? []
        let kind = fields["kind"].flatMap(TransferKind.init(rawValue:))
        if kind == nil { refusal.append("Choose the kind: YouthToAdult or YotToYot.") }
        // What was completed, by NOCO field name: never the values.
        let completed = completedFields(prepared, kind: kind, recipient: recipient, completion: completion)
        guard problems.isEmpty, refusal.isEmpty, let kind, let recipient else {
            try await access.audit.append(AuditEvent(caller, .transferPrepare, .failed, caseId: prepared.caseId, detail: "\(problems.count + refusal.count) problems"))
            return Pages.html(try page(prepared, fields: fields, session: session, problems: problems, refusal: refusal).render(), status: .badRequest)
        }
        let fieldsDetail = completed.isEmpty ? "no fields completed" : "fields completed: " + completed.joined(separator: ", ")
        guard fields["do"] == "send" else {
            try await access.audit.append(AuditEvent(caller, .transferPrepare, caseId: prepared.caseId, detail: fieldsDetail))
            return Pages.html(try page(prepared, fields: fields, session: session, notice: "Every value fits the NOCO contract. \(fieldsDetail.prefix(1).uppercased() + fieldsDetail.dropFirst()).").render())
        }
        return try await send(prepared, kind: kind, recipient: recipient, onHub: onHub, completion: completion, fieldsDetail: fieldsDetail, fields: fields, session: session)
    }

    private func completedFields(_ prepared: Prepared, kind: TransferKind?, recipient: Organisation?, completion: NOCOCompletion) -> [String] {
        guard kind == .youthToAdult else { return [] }
        let request = Transfers.NOCORequest(
            transferId: NOCO.NOCORequest.newTransferId(), kind: .youthToAdult, generatedAt: Date(), from: Self.sender(prepared.record),
            to: recipient ?? Organisation(code: "NEW", name: "the recipient"), record: prepared.record)
        return (try? CompletedNOCO(completion: completion).document(for: request).completed) ?? []
    }

    /// POST: NOCO.html for the values given, as the receiver will see it.
    func preview(_ prepared: Prepared, fields: [String: String], session: AuthenticatedSession?) async throws -> Response {
        guard Self.unsendable(prepared) == nil else {
            return Pages.html(try page(prepared, fields: fields, session: session).render(), status: .badRequest)
        }
        let completion = Self.completion(fields)
        let problems = completion.problems()
        let (recipient, _, recipientProblem) = chosenRecipient(prepared, fields: fields)
        guard problems.isEmpty, recipientProblem == nil, let recipient else {
            return Pages.html(try page(prepared, fields: fields, session: session, problems: problems, refusal: recipientProblem.map { [$0] } ?? []).render(), status: .badRequest)
        }
        let request = Transfers.NOCORequest(
            transferId: NOCO.NOCORequest.newTransferId(), kind: .youthToAdult, generatedAt: Date(), from: Self.sender(prepared.record),
            to: recipient, record: prepared.record)
        let (document, completed) = try CompletedNOCO(completion: completion).document(for: request)
        let html = try transfers.nocoTemplate().render(document)
        try await access.audit.append(AuditEvent(
            prepared.caller, .transferPrepare, caseId: prepared.caseId,
            detail: "NOCO preview, " + (completed.isEmpty ? "no fields completed" : "fields completed: " + completed.joined(separator: ", "))))
        return Pages.html(html)
    }

    /// Builds the package, records it as awaiting, writes it to the outbox and delivers it.
    private func send(
        _ prepared: Prepared, kind: TransferKind, recipient: Organisation, onHub: Bool, completion: NOCOCompletion, fieldsDetail: String,
        fields: [String: String], session: AuthenticatedSession?
    ) async throws -> Response {
        let caller = prepared.caller
        guard let source = try await store.sourceDocument(caseId: prepared.caseId, scope: caller.scope) else { throw PortalError.notFound }
        let schemas = try checker.catalog()
        let processor = DocumentProcessor(schemas: schemas, options: checker.options)
        let signingKey = try transfers.signingKeyFile(caller.organisation).map { try SigningKeys.privateKey(from: Data(contentsOf: $0)) }
        let builder = PackageBuilder(schemas: schemas, processor: processor, noco: CompletedNOCO(completion: completion, schemas: schemas))
        let built: PackageBuilder.Built
        do {
            built = try builder.build(.init(
                assessment: source.bytes, assessmentName: prepared.record.source.fileName, kind: kind, recipient: recipient, signingKey: signingKey))
        } catch {
            let reasons = (error as? PackageRejection).map { $0.reasons.map { "\($0.code.rawValue): \($0.text)" } } ?? ["\(error)"]
            try await access.audit.append(AuditEvent(caller, .transferSend, .failed, caseId: prepared.caseId, detail: "refused: \((error as? PackageRejection)?.reasons.map(\.code.rawValue).joined(separator: " ") ?? "build failed")"))
            return Pages.html(try page(prepared, fields: fields, session: session, refusal: ["No package was built."] + reasons).render(), status: .badRequest)
        }
        let transferId = built.manifest.transferId
        let outbox = try transfers.outboxFolder()
        try AtomicFile.write(built.package, to: outbox.appendingPathComponent(built.manifest.packageFileName))
        let ledger = TransferLedger(store: store)
        try await ledger.recordExport(built.manifest, documentId: built.record.source.documentId, packageSha256: built.packageSha256)
        if let resends = fields["resends"].flatMap({ NOCO.NOCORequest.isTransferId($0) ? $0.lowercased() : nil }),
           let old = try await store.transfer(resends, party: caller.organisation)?.row, old.senderCode == caller.organisation {
            let at = TransferClock.timestamp(Date())
            try await store.noteTransfer(transferId, at: at, detail: "re-send of rejected transfer \(resends)", reason: nil)
            try await store.noteTransfer(resends, at: at, detail: "re-sent as a new package, transfer \(transferId)", reason: old.reason)
        }
        try await access.audit.append(AuditEvent(
            caller, .transferSend, caseId: prepared.caseId, transferId: transferId,
            detail: "\(kind.rawValue) to \(recipient.code), \(signingKey == nil ? "unsigned" : "signed"), \(fieldsDetail)"))
        do {
            if onHub {
                try await deliverOnHub(built.package, name: built.manifest.packageFileName, recipient: recipient, caller: caller, schemas: schemas, processor: processor, ledger: ledger)
            } else if let folder = transfers.dropFolder {
                _ = try await ledger.send(built.package, name: built.manifest.packageFileName, toFolder: folder, schemas: schemas)
            }
        } catch {
            // A failed delivery is kept by the ledger (the transfer stays awaiting) and shown on
            // the transfer's page; a receipt that could not be applied leaves it transferred.
            let awaiting = try await store.transfer(transferId)?.status == TransferStatus.awaiting.rawValue
            try await access.audit.append(AuditEvent(
                caller, .transferSend, .failed, transferId: transferId, detail: awaiting ? "delivery failed" : "delivered; receipt not applied"))
        }
        return Pages.redirect("/transfers/\(transferId)")
    }

    /// Delivery to an organisation of this hub: its importer decides (every check of the
    /// contract, as `y2a transfer import --as CODE`), and the receipt goes straight back to the
    /// sender's ledger.
    private func deliverOnHub(
        _ package: Data, name: String, recipient: Organisation, caller: Caller, schemas: SchemaCatalog, processor: DocumentProcessor, ledger: TransferLedger
    ) async throws {
        let importer = PackageImporter(
            schemas: schemas, processor: processor, store: store,
            options: .init(receiverCode: recipient.code, receiverName: recipient.name, trustStore: transfers.keys, requireSignature: transfers.requireSignature))
        var outcome: ImportOutcome?
        _ = try await ledger.deliver(package, name: name, schemas: schemas, detail: "delivered to \(recipient.code) on this hub") { _ in
            outcome = try await importer.importPackage(package, fileName: name)
        }
        guard let outcome else { return }
        let receiver = Caller(who: "system", accountId: nil, organisation: recipient.code, roles: [], address: caller.address, requestId: caller.requestId)
        let receipt = outcome.receipt
        try await access.audit.append(AuditEvent(
            receiver, .transferReceive, caseId: outcome.caseId, transferId: receipt.transferId,
            detail: "\(receipt.decision.rawValue)" + (receipt.reasons.isEmpty ? "" : ": " + receipt.reasons.map(\.code.rawValue).joined(separator: " "))))
        _ = try await ledger.apply(receipt: outcome.receiptXML, name: receipt.fileName, schemas: schemas)
    }

    /// POST /transfers/:transfer/resend: a rejected transfer of the caller's organisation goes
    /// back to the prepare form of its case, to be sent as a new package with a new TransferId.
    func resend(_ context: PortalContext) async throws -> Response {
        let caller = try context.caller(may: .handleTransfers, .organisation(context.session?.caller.organisation ?? ""))
        let raw = context.parameters.get("transfer") ?? ""
        let id = NOCO.NOCORequest.isTransferId(raw) ? raw.lowercased() : nil
        guard let id, let row = try await store.transfer(id, party: caller.organisation)?.row, row.senderCode == caller.organisation else {
            try await access.audit.append(AuditEvent(caller, .transferResend, .notFound, transferId: id))
            return Pages.notFound(session: context.session)
        }
        guard row.status == TransferStatus.rejected.rawValue else {
            try await access.audit.append(AuditEvent(caller, .transferResend, .denied, transferId: id, detail: "status \(row.status)"))
            return Pages.error(.conflict, title: "Not rejected", message: "Only a rejected transfer can be re-sent; this one is \(row.status).", session: context.session)
        }
        let found = try await store.casePage(CaseListQuery(text: row.personRef, pageSize: 100), scope: caller.scope).cases
            .first { $0.documentId == row.documentId }
        guard let found else {
            try await access.audit.append(AuditEvent(caller, .transferResend, .notFound, transferId: id, detail: "case not held"))
            return Pages.error(.notFound, title: "Case not found", message: "The case this transfer was made from is no longer held by your organisation.", session: context.session)
        }
        try await access.audit.append(AuditEvent(caller, .transferResend, caseId: found.id, transferId: id))
        let onHub = try await access.accounts.organisation(code: row.recipientCode) != nil
        let to = onHub
            ? "to=\(FormFields.encode(row.recipientCode))"
            : "to=\(TransferPreparePage.elsewhere)&toCode=\(FormFields.encode(row.recipientCode))&toName=\(FormFields.encode(row.recipientName))"
        let query = "kind=\(FormFields.encode(row.kind))&\(to)&resends=\(id)"
        return Pages.redirect("/cases/\(found.id)/transfer?\(query)")
    }
}
