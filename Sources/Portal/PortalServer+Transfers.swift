import Access
import CaseStore
import Foundation
import Hummingbird
import HTTPTypes

extension PortalServer {
    /// The organisation's transfers: those it sent (the ledger) and the packages it decided
    /// (its receiver decisions). Both queries take the caller's organisation, so another
    /// organisation's transfer is never read, and its page answers as a missing one does.
    static func addTransferRoutes(_ router: Router<PortalContext>, store: any TransferLedgerStore & ReceivedPackages, access: AccessService) {
        router.get("/transfers") { request, context -> Response in
            let caller = try context.caller(may: .readTransfers, .organisation(context.session?.caller.organisation ?? ""))
            let fields = FormFields.parse(Substring(request.uri.query ?? ""))
            let status = fields["status"].flatMap { TransfersPage.statuses.contains($0) ? $0 : nil }
            var outgoing = try await store.transfers(sentBy: caller.organisation)
            var incoming = try await store.receivedPackages(receiver: caller.organisation)
            if let status {
                outgoing = outgoing.filter { $0.status == status }
                incoming = incoming.filter { $0.decision.lowercased() == status }
            }
            try await access.audit.append(AuditEvent(
                caller, .listTransfers, detail: "\(outgoing.count) sent, \(incoming.count) received" + (status.map { ", status \($0)" } ?? "")))
            return Pages.html(TransfersPage(outgoing: outgoing, incoming: incoming, status: status, session: context.session).render())
        }
        router.get("/transfers/:transfer") { _, context -> Response in
            let caller = try context.caller(may: .readTransfers, .organisation(context.session?.caller.organisation ?? ""))
            // A TransferId is a UUID; anything else is simply not found (and not copied into the trail).
            let raw = context.parameters.get("transfer") ?? ""
            let id = raw.count <= 64 && !raw.isEmpty && raw.allSatisfy({ $0.isHexDigit || $0 == "-" }) ? raw.lowercased() : nil
            let sent = try await id.asyncMap { try await store.transfer($0, party: caller.organisation) } ?? nil
            let decisions = try await id.asyncMap { try await store.receivedPackages(receiver: caller.organisation, transferId: $0) } ?? []
            guard let id, sent != nil || !decisions.isEmpty else {
                try await access.audit.append(AuditEvent(caller, .viewTransfer, .notFound, transferId: id))
                return Pages.notFound(session: context.session)
            }
            try await access.audit.append(AuditEvent(caller, .viewTransfer, transferId: id))
            let page = TransferPage(
                transferId: id, organisation: caller.organisation, ledger: sent?.row, history: sent?.history ?? [], decisions: decisions,
                session: context.session)
            return Pages.html(page.render())
        }
    }
}

extension Optional {
    /// `map` with an asynchronous transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
