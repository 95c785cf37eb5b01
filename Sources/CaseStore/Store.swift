public import CaseRecord
public import Foundation

// The store's interfaces, split by concern so that no caller sees more than it needs. Two
// engines implement all of them: SQLite (`CaseStore`, GRDB, the default) and PostgreSQL
// (`CaseStorePostgres`). Only value types cross them: no database connection, row or
// transaction type leaves the store modules. Where a change must be one transaction (a
// decision and its journal row), the interface has one method for the whole change, and the
// caller's part is a plain function of what the transaction read.

/// Cases, the people they describe, and the files kept with them.
public protocol CaseRepository: Sendable {
    /// Stores a case with its source bytes; idempotent by the source's SHA-256, also under
    /// concurrent writers. One transaction. `holders`: the organisations the case is stored
    /// for (nil: the one named in the document); storing it again for another adds a holder.
    func store(_ record: CaseRecord, sourceXML: Data, sourceName: String, now: Date, holders: [String]?) async throws -> StoreOutcome
    /// Stores many documents in one transaction (group commit: one commit, one flush to disk,
    /// for the lot), each exactly as `store(_:sourceXML:sourceName:now:holders:)` would: the
    /// same bytes twice, even within one group, are stored once. All or nothing: a failure
    /// stores none of them. Outcomes in the order of `documents`.
    func store(_ documents: [StoreRequest], now: Date) async throws -> [StoreOutcome]
    /// The case list, newest assessment first.
    func cases(_ query: CaseQuery) async throws -> [CaseSummary]
    /// The cases of one person, newest first.
    func cases(ofPerson personId: Int64) async throws -> [CaseSummary]
    func caseRecord(id: Int64) async throws -> (summary: CaseSummary, record: CaseRecord)?
    /// The stored source document, byte for byte, with its SHA-256.
    func sourceDocument(caseId: Int64) async throws -> (bytes: Data, sha256: String, framework: String)?
    func caseDocuments(caseId: Int64) async throws -> [CaseDocument]
    func caseDocumentBytes(caseId: Int64, documentId: Int64) async throws -> (document: CaseDocument, bytes: Data)?
    /// The case stored from these source bytes, if any.
    func caseId(sha256: String) async throws -> Int64?
    func counts() async throws -> (cases: Int, people: Int)
    /// The organisations that hold a case.
    func holders(caseId: Int64) async throws -> [String]

    // Seen by a caller: the organisation scope is in the query, so a case of another
    // organisation is never read, counted or told apart from a missing one.

    /// One page of the case list within `scope`, and the number of cases that match.
    func casePage(_ query: CaseListQuery, scope: OrganisationScope) async throws -> CaseListResult
    func caseRecord(id: Int64, scope: OrganisationScope) async throws -> (summary: CaseSummary, record: CaseRecord)?
    func cases(ofPerson personId: Int64, scope: OrganisationScope) async throws -> [CaseSummary]
    func sourceDocument(caseId: Int64, scope: OrganisationScope) async throws -> (bytes: Data, sha256: String, framework: String)?
    func caseDocuments(caseId: Int64, scope: OrganisationScope) async throws -> [CaseDocument]
    func caseDocumentBytes(caseId: Int64, documentId: Int64, scope: OrganisationScope) async throws -> (document: CaseDocument, bytes: Data)?
}

/// The sender's transfers: one row each, and an append-only history.
public protocol TransferLedgerStore: Sendable {
    /// Records a new transfer and the first entry of its history, in one transaction.
    func insertTransfer(_ row: TransferRow, detail: String?) async throws
    /// Moves a transfer to `status` in one transaction: reads the current status, lets `check`
    /// refuse the move (its error is rethrown as is), updates the row, appends to the history.
    /// - Returns: the row after the move, or nil when no transfer has this id.
    func moveTransfer(
        _ transferId: String, to status: String, at: String, detail: String?, reason: String?,
        check: (_ current: String) throws -> Void
    ) async throws -> TransferRow?
    /// Appends a history entry that keeps the status (a failed delivery), in one transaction.
    func noteTransfer(_ transferId: String, at: String, detail: String, reason: String?) async throws
    /// Every transfer, newest first.
    func transfers() async throws -> [TransferRow]
    func transfer(_ transferId: String) async throws -> TransferRow?
    /// A transfer's history, oldest first.
    func transferHistory(_ transferId: String) async throws -> [TransferEvent]

    // Seen by an organisation: the scope is in the query, so another organisation's transfer
    // is never read or told apart from a missing one.

    /// The transfers `organisation` sent, newest first.
    func transfers(sentBy organisation: String) async throws -> [TransferRow]
    /// One transfer and its history, if `organisation` is its sender or its recipient.
    func transfer(_ transferId: String, party organisation: String) async throws -> (row: TransferRow, history: [TransferEvent])?
}

/// The receiver's decisions on packages, keyed by the package bytes.
public protocol ReceivedPackages: Sendable {
    /// The decision already taken on these exact package bytes by this receiver, if any.
    func receivedPackage(receiver: String, packageSha256: String) async throws -> ReceivedPackage?
    /// Every decision taken as a receiver, newest first.
    func receivedPackages() async throws -> [ReceivedPackage]
    /// The decisions `receiver` took, newest first.
    func receivedPackages(receiver: String) async throws -> [ReceivedPackage]
    /// The decisions `receiver` took on packages with this TransferId, oldest first.
    func receivedPackages(receiver: String, transferId: String) async throws -> [ReceivedPackage]
    /// Decides a package in one transaction (serialised per receiver, so two importers of the
    /// same bytes cannot both decide): reads the earlier decision on these bytes and whether
    /// the TransferId was decided before, lets `decide` say what to write, then writes it (the
    /// case, its files, the decision row with the case id filled in).
    func decidePackage<Value>(
        receiver: String, packageSha256: String?, transferId: String?,
        _ decide: (_ earlier: ReceivedPackage?, _ transferIdDecided: Bool) throws -> (PackageDecision, Value)
    ) async throws -> (value: Value, caseId: Int64?)
}

/// The nightly batch's journal: its runs, and one row per decided inbox file, written in the
/// same transaction as the store change it describes.
public protocol BatchJournal: Sendable {
    /// Starts a run; runs still marked `running` were killed and are marked `interrupted`.
    func beginBatchRun(now: Date) async throws -> Int64
    /// Ends a run with its status (`finished` or `failed`) and summary.
    func finishBatchRun(_ id: Int64, status: String, summaryJSON: Data, now: Date) async throws
    /// The decision recorded for a file, if any.
    func processedFile(sha256: String, name: String) async throws -> ProcessedFile?
    /// Every decided file, by name.
    func processedFiles() async throws -> [ProcessedFile]
    /// Records a decision that changes nothing else; fails if the file was decided already.
    func journal(_ file: ProcessedFile) async throws
    /// Stores many cases and records the decision each `journal` makes of its outcome, all in
    /// one transaction (the batch's group commit): all or nothing. Rows in the group's order.
    func storeAndJournal(_ group: [JournalledStore], now: Date) async throws -> [ProcessedFile]
    /// Records the decision `make` builds from the receipts already answered under
    /// `receiptName` (so that one is never replaced by another), in one transaction.
    func journal(receiptNamed receiptName: String, _ make: (_ earlierReceipts: [Data]) throws -> ProcessedFile) async throws -> ProcessedFile
    /// The store's own batch lock (PostgreSQL: an advisory lock, held until released or the
    /// process dies), or nil when the engine has none and the caller locks a file.
    /// Throws `BATCH-LOCKED` when another batch holds it.
    func takeBatchLock() async throws -> (any StoreLock)?
}

/// A held lock; released by `release()` or when the process ends.
public protocol StoreLock: Sendable {
    func release() async
}

/// The whole store, as an engine opens it.
public protocol Store: CaseRepository, TransferLedgerStore, ReceivedPackages, BatchJournal, AccountStore, SessionStore, AuditTrail, APITokenStore, StoreStatistics {
    /// Where the store is, for messages: a path, or a PostgreSQL address without a password.
    var location: String { get }
    /// Closes connections; the store is not used afterwards.
    func close() async
}

/// What a package decision writes (see `ReceivedPackages.decidePackage`).
public enum PackageDecision: Sendable {
    /// Nothing: answered before, or no answer could be written.
    case nothing
    /// The accepted case (if any), then the decision row (if the bytes have a hash).
    case record(case: PackageCase?, received: ReceivedPackage?)
}

/// An accepted case and the files that came with it.
public struct PackageCase: Sendable {
    public var record: CaseRecord
    public var sourceXML: Data
    public var sourceName: String
    public var now: Date
    /// The organisations that hold the case (the receiver and the transfer's sender).
    public var holders: [String]
    public var documents: [NewCaseDocument]

    public init(record: CaseRecord, sourceXML: Data, sourceName: String, now: Date, holders: [String], documents: [NewCaseDocument]) {
        self.record = record
        self.holders = holders
        self.sourceXML = sourceXML
        self.sourceName = sourceName
        self.now = now
        self.documents = documents
    }
}

/// A package file to keep with its case (NOCO.xml, an attachment).
public struct NewCaseDocument: Sendable {
    public var fileName: String
    public var mediaType: String
    public var sha256: String
    public var bytes: Data
    public var transferId: String?
    public var isNOCO: Bool

    public init(fileName: String, mediaType: String, sha256: String, bytes: Data, transferId: String?, isNOCO: Bool) {
        self.fileName = fileName
        self.mediaType = mediaType
        self.sha256 = sha256
        self.bytes = bytes
        self.transferId = transferId
        self.isNOCO = isNOCO
    }
}

/// One document to store (see `CaseRepository.store(_:now:)`): its case record, its source
/// bytes (kept byte for byte), its file name, and the organisations that hold it (nil: the one
/// named in the document).
public struct StoreRequest: Sendable {
    public var record: CaseRecord
    public var sourceXML: Data
    public var sourceName: String
    public var holders: [String]?
    /// The row's two blobs made ahead (`prepare()`), so that the writer's transaction does not
    /// spend its time compressing and encoding: nil, and the store makes them itself.
    package var prepared: PreparedBlobs?

    public init(record: CaseRecord, sourceXML: Data, sourceName: String, holders: [String]? = nil) {
        self.record = record
        self.sourceXML = sourceXML
        self.sourceName = sourceName
        self.holders = holders
    }

    /// Compresses the source and encodes the record now, on the caller's thread (the import's
    /// and the batch's validating workers, several at once), instead of in the one writer.
    public mutating func prepare() throws {
        prepared = PreparedBlobs(recordJSON: try record.jsonData(), source: SourceCompression.pack(sourceXML))
    }
}

/// A case row's two blobs as they are written: the record's JSON, and the source as stored.
package struct PreparedBlobs: Sendable {
    package var recordJSON: Data
    package var source: (bytes: Data, compression: String)

    /// These blobs, or the ones made now when there are none.
    package static func of(_ prepared: PreparedBlobs?, record: CaseRecord, sourceXML: Data) throws -> PreparedBlobs {
        try prepared ?? PreparedBlobs(recordJSON: record.jsonData(), source: SourceCompression.pack(sourceXML))
    }
}

/// A case to store and the journal row that records its decision (see
/// `BatchJournal.storeAndJournal(_:now:)`).
public struct JournalledStore: Sendable {
    public var document: StoreRequest
    public var journal: @Sendable (StoreOutcome) throws -> ProcessedFile

    public init(document: StoreRequest, journal: @escaping @Sendable (StoreOutcome) throws -> ProcessedFile) {
        self.document = document
        self.journal = journal
    }
}
