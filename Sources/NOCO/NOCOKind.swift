public import CaseRecord

/// What kind of transfer a NOCO travels with: the case record's `TransferKind`.
public typealias NOCOKind = TransferKind
