import Access
import CaseRecord
import CaseStore
import Findings
import Foundation
import Gateway
import NOCO
import OpenAPIRuntime
import Portal
import Transfers

/// The API's operations (the protocol is generated from openapi.yaml), on the same code as the
/// CLI and the portal: `DocumentProcessor` validates and converts as `y2a validate`/`convert`,
/// `PackageImporter` decides a package as `y2a transfer import`, `TransferLedger` applies a
/// receipt as `y2a transfer receipt`. Every read is scoped to the token's organisation: another
/// organisation's transfer, package or case answers 404 exactly as a missing one. The gate has
/// checked the token, the media type and the size before any of this runs.
struct APIHandler: APIProtocol {
    let store: any Store
    let checker: DocumentChecker
    let transfers: PortalTransfers
    let metrics: APIMetrics

    // MARK: Documents

    /// The document as the CLI reads it, from the gate's spooled file (the portal's checker).
    private func process(_ call: APICall, name: String?, convert: Bool) async throws -> ProcessedDocument {
        let processed = try await checker.process(try call.bodyFile(), name: Self.documentName(name), convert: convert)
        metrics.documentValidated(format: processed.report.format?.rawValue, valid: processed.report.valid)
        return processed
    }

    /// The name a document is reported under: the client's `X-Document-Name` reduced to a safe
    /// last component, else `document.xml`.
    static func documentName(_ sent: String?) -> String {
        guard let sent else { return "document.xml" }
        let last = sent.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let safe = String(last.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }.prefix(100))
        return safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "document.xml" : safe
    }

    func validate(_ input: Operations.Validate.Input) async throws -> Operations.Validate.Output {
        let call = try APICall.admitted(.checkDocuments, "validate documents")
        let started = DispatchTime.now()
        let document = try await process(call, name: input.headers.xDocumentName, convert: false)
        var summary = RunSummary()
        summary.add(.success(document))
        summary.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        // The CLI's own JSON (`y2a validate --format json`), read into the document's type.
        let json = try ReportFormatter.json([.success(document)], summary: summary)
        call.touched(detail: document.report.valid ? "valid" : "invalid")
        return .ok(.init(body: .json(try JSONDecoder().decode(Components.Schemas.ValidationRun.self, from: json))))
    }

    func convert(_ input: Operations.Convert.Input) async throws -> Operations.Convert.Output {
        let call = try APICall.admitted(.checkDocuments, "convert documents")
        let document = try await process(call, name: input.headers.xDocumentName, convert: true)
        guard document.report.valid, let record = document.caseRecord else {
            call.touched(detail: "invalid")
            throw APIProblem.invalid(document.report.findings, moreFindings: document.report.moreFindings)
        }
        call.touched(detail: "converted")
        return .ok(.init(body: .json(try JSONDecoder().decode(Operations.Convert.Output.Ok.Body.JsonPayload.self, from: record.jsonData()))))
    }

    // MARK: Packages

    func submitPackage(_ input: Operations.SubmitPackage.Input) async throws -> Operations.SubmitPackage.Output {
        let call = try APICall.admitted(.handleTransfers, "deliver packages")
        let organisation = call.caller.organisation
        let catalog = try checker.catalog()
        let receiver = try await store.organisation(code: organisation)
        let importer = PackageImporter(
            schemas: catalog, processor: DocumentProcessor(schemas: catalog, options: checker.options), store: store,
            options: .init(receiverCode: organisation, receiverName: receiver?.name, trustStore: transfers.keys, requireSignature: transfers.requireSignature))
        let outcome: ImportOutcome
        do {
            outcome = try await importer.importPackage(at: try call.bodyFile())
        } catch let error as UnanswerablePackage {
            throw APIProblem.refused("API-PACKAGE-UNANSWERABLE", "\(error)")
        }
        let receipt = outcome.receipt
        call.touched(caseId: outcome.caseId, transferId: receipt.transferId, detail: receipt.decision.rawValue + (outcome.repeated ? " (repeated)" : ""))
        if !outcome.repeated {
            metrics.packageDecided(decision: receipt.decision.rawValue, reason: receipt.reasons.first?.code.rawValue ?? "none")
        }
        return .ok(.init(body: .xml(HTTPBody(outcome.receiptXML))))
    }

    func listIncomingPackages(_ input: Operations.ListIncomingPackages.Input) async throws -> Operations.ListIncomingPackages.Output {
        let call = try APICall.admitted(.readTransfers, "read packages")
        let since = try Self.instant(input.query.since)
        let packages = try await store.receivedPackages(receiver: call.caller.organisation)
            .filter { since == nil || $0.decidedAt >= since! }
            .map(Self.incoming)
        return .ok(.init(body: .json(.init(packages: packages))))
    }

    func getPackage(_ input: Operations.GetPackage.Input) async throws -> Operations.GetPackage.Output {
        let call = try APICall.admitted(.readTransfers, "read packages")
        let id = input.path.id.lowercased()
        guard id.utf8.count == 64, id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              let package = try await store.receivedPackage(receiver: call.caller.organisation, packageSha256: id) else {
            throw APIProblem.notFound
        }
        call.touched(caseId: package.caseId, transferId: package.transferId)
        return .ok(.init(body: .json(Self.incoming(package))))
    }

    static func incoming(_ package: ReceivedPackage) -> Components.Schemas.IncomingPackage {
        .init(
            id: package.packageSha256, transferId: package.transferId,
            decision: package.decision.lowercased() == "accepted" ? .accepted : .rejected,
            reasons: package.reasons.split(separator: " ").map(String.init), caseId: package.caseId, decidedAt: package.decidedAt)
    }

    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        let call = try APICall.admitted(.readCases, "read cases")
        guard let (_, record) = try await store.caseRecord(id: input.path.id, scope: call.caller.scope) else { throw APIProblem.notFound }
        call.touched(caseId: input.path.id)
        return .ok(.init(body: .json(try JSONDecoder().decode(Operations.GetCase.Output.Ok.Body.JsonPayload.self, from: record.jsonData()))))
    }

    // MARK: Transfers

    func listTransfers(_ input: Operations.ListTransfers.Input) async throws -> Operations.ListTransfers.Output {
        let call = try APICall.admitted(.readTransfers, "read transfers")
        let organisation = call.caller.organisation
        let since = try Self.instant(input.query.since)
        var rows: [Components.Schemas.Transfer] = []
        if input.query.direction != .incoming {
            rows += try await store.transfers(sentBy: organisation).map(Self.outgoing)
        }
        if input.query.direction != .outgoing {
            rows += try await store.receivedPackages(receiver: organisation).compactMap { Self.incoming($0, receiver: organisation) }
        }
        let filtered = rows
            .filter { input.query.status == nil || $0.status == input.query.status }
            .filter { since == nil || $0.updatedAt >= since! }
            .sorted { ($0.updatedAt, $0.transferId) > ($1.updatedAt, $1.transferId) }
        return .ok(.init(body: .json(.init(transfers: filtered))))
    }

    func getTransfer(_ input: Operations.GetTransfer.Input) async throws -> Operations.GetTransfer.Output {
        let call = try APICall.admitted(.readTransfers, "read transfers")
        let organisation = call.caller.organisation
        let id = input.path.id.lowercased()
        guard NOCO.NOCORequest.isTransferId(id) else { throw APIProblem.notFound }
        if let (row, history) = try await store.transfer(id, party: organisation), row.senderCode == organisation {
            call.touched(transferId: id)
            return .ok(.init(body: .json(.init(transfer: Self.outgoing(row), history: history.map(Self.event)))))
        }
        let decisions = try await store.receivedPackages(receiver: organisation, transferId: id)
        guard let last = decisions.last, let transfer = Self.incoming(last, receiver: organisation) else { throw APIProblem.notFound }
        call.touched(transferId: id)
        let history = decisions.map { Components.Schemas.TransferEvent(toStatus: $0.decision.lowercased(), at: $0.decidedAt, detail: $0.reasons.isEmpty ? nil : $0.reasons) }
        return .ok(.init(body: .json(.init(transfer: transfer, history: history))))
    }

    func submitReceipt(_ input: Operations.SubmitReceipt.Input) async throws -> Operations.SubmitReceipt.Output {
        let call = try APICall.admitted(.handleTransfers, "apply receipts")
        let organisation = call.caller.organisation
        let bytes = try Data(contentsOf: try call.bodyFile())
        let catalog = try checker.catalog()
        let receipt: TransferReceipt
        do {
            receipt = try TransferReceipt.read(bytes, name: "receipt.xml", reader: TransferDocumentReader(schema: catalog.transfer))
        } catch {
            throw APIProblem.refused("API-RECEIPT-INVALID", "The body is not a receipt as the contract's transfer-package.md describes it.")
        }
        // Only the sender's own transfer: anything else is not found, as a missing one is.
        guard let (row, _) = try await store.transfer(receipt.transferId, party: organisation), row.senderCode == organisation else {
            throw APIProblem.notFound
        }
        call.touched(transferId: row.transferId)
        let applied: TransferRow
        do {
            applied = try await TransferLedger(store: store).apply(receipt: bytes, name: "receipt.xml", schemas: catalog).1
        } catch let refusal as TransferRefusal {
            throw APIProblem(.conflict, code: "API-RECEIPT-REFUSED", title: "Receipt refused", detail: refusal.message)
        }
        return .ok(.init(body: .json(Self.outgoing(applied))))
    }

    static func outgoing(_ row: TransferRow) -> Components.Schemas.Transfer {
        .init(
            transferId: row.transferId, kind: .init(rawValue: row.kind), personRef: row.personRef, senderCode: row.senderCode,
            recipientCode: row.recipientCode, documentId: row.documentId, packageSha256: row.packageSha256, status: row.status,
            reason: row.reason, createdAt: row.createdAt, updatedAt: row.updatedAt, direction: .outgoing)
    }

    /// A decided package as a transfer of the receiver (nil: the package had no readable TransferId).
    static func incoming(_ package: ReceivedPackage, receiver: String) -> Components.Schemas.Transfer? {
        guard let transferId = package.transferId else { return nil }
        return .init(
            transferId: transferId, kind: package.kind.flatMap { .init(rawValue: $0) }, personRef: package.personRef,
            senderCode: package.senderCode ?? "unknown", recipientCode: receiver, packageSha256: package.packageSha256,
            status: package.decision.lowercased(), reason: package.reasons.isEmpty ? nil : package.reasons, createdAt: package.decidedAt,
            updatedAt: package.decidedAt, direction: .incoming)
    }

    static func event(_ event: TransferEvent) -> Components.Schemas.TransferEvent {
        .init(fromStatus: event.fromStatus, toStatus: event.toStatus, at: event.at, detail: event.detail)
    }

    /// `since` as the store's timestamps (a date or an ISO 8601 instant); 400 otherwise.
    static func instant(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard let parsed = AuditExport.since(text) else {
            throw APIProblem.badRequest("`since` is a date (2026-12-01) or an ISO 8601 instant (2026-12-01T09:00:00Z).")
        }
        return parsed
    }
}
