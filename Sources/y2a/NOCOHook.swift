import CaseRecord
import Foundation
import NOCO
import Transfers

/// Gives `transfer export` the NOCO generator: the Transfers module knows only the
/// `NOCOProvider` protocol, so the two modules stay independent of each other.
struct GeneratedNOCO: NOCOProvider {
    func nocoXML(for request: Transfers.NOCORequest) throws -> Data {
        let nocoRequest = NOCO.NOCORequest(
            transferId: request.transferId,
            kind: request.kind,
            from: .init(code: request.from.code, name: request.from.name),
            to: .init(code: request.to.code, name: request.to.name),
            generatedAt: request.generatedAt)
        return try NOCOGenerator().generate(from: request.record, request: nocoRequest).xml
    }
}

/// The NOCO generator given to `transfer export`.
let nocoProvider: (any NOCOProvider)? = GeneratedNOCO()
