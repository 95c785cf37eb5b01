public import Foundation
public import Gateway
public import NOCO
public import Transfers

/// The NOCO a package carries: generated from the case record by `NOCOGenerator`, with what the
/// sender completed by hand in its gaps (`NOCOCompletion`), checked against noco.xsd. The
/// Transfers module asks for it through `NOCOProvider`; `y2a transfer export` uses it with
/// nothing completed.
public struct CompletedNOCO: NOCOProvider {
    public var completion: NOCOCompletion
    /// When given, NOCO.xml is checked against its XSD before it goes into a package.
    public var schemas: SchemaCatalog?

    public init(completion: NOCOCompletion = .init(), schemas: SchemaCatalog? = nil) {
        self.completion = completion
        self.schemas = schemas
    }

    /// The NOCO for the package `request` describes, and the NOCO fields completed by hand.
    public func document(for request: Transfers.NOCORequest) throws -> (document: NOCODocument, completed: [String]) {
        let nocoRequest = NOCO.NOCORequest(
            transferId: request.transferId, kind: request.kind,
            from: .init(code: request.from.code, name: request.from.name), to: .init(code: request.to.code, name: request.to.name),
            generatedAt: request.generatedAt)
        let generated = try NOCOGenerator().document(from: request.record, request: nocoRequest)
        return completion.apply(to: generated, record: request.record)
    }

    public func nocoXML(for request: Transfers.NOCORequest) throws -> Data {
        let xml = try document(for: request).document.xmlData()
        if let schemas {
            // A NOCO that fails its own XSD is never sent: the receiver would reject the package.
            let findings = try schemas.findings(forGenerated: [UInt8](xml), name: "NOCO.xml", schema: schemas.noco)
            if let first = findings.first {
                throw NOCOError(code: "NOCO-XSD", message: "NOCO.xml does not validate against noco.xsd (\(findings.count) finding\(findings.count == 1 ? "" : "s"), first \(first.code) at line \(first.line.map(String.init) ?? "?"))")
            }
        }
        return xml
    }
}
