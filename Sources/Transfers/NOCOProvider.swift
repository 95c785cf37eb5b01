public import CaseRecord
public import Foundation

/// What a NOCO generator is given: the case record and the package it travels in.
public struct NOCORequest: Sendable {
    public var transferId: String
    public var kind: TransferKind
    public var generatedAt: Date
    public var from: Organisation
    public var to: Organisation
    public var record: CaseRecord

    public init(transferId: String, kind: TransferKind, generatedAt: Date, from: Organisation, to: Organisation, record: CaseRecord) {
        self.transferId = transferId
        self.kind = kind
        self.generatedAt = generatedAt
        self.from = from
        self.to = to
        self.record = record
    }
}

/// Makes NOCO.xml for a package. The Transfers module does not generate NOCO itself: the
/// NOCO module (or a test) supplies a provider, so the two stay independent.
public protocol NOCOProvider: Sendable {
    /// NOCO.xml's bytes, valid against noco.xsd.
    func nocoXML(for request: NOCORequest) throws -> Data
}
