import CaseRecord
import CaseStore
import Findings
import Foundation
import Gateway
import Logging
import XMLSupport

/// What every worker of one run shares.
struct RunContext: Sendable {
    var configuration: BatchConfiguration
    /// The store; nil in a dry run.
    var store: (any Store)?
    /// A dry run's read-only view of the store (nil when there is no store yet).
    var snapshot: (any Store)?
    var files: BatchFileOperations
    var runId: Int64
    var now: Date
    var logger: Logger

    var dryRun: Bool { store == nil }
    var decidedAt: String { CaseStore.batchTimestamp(now) }
}

/// An assessment's decision waiting for the run's group commit: its case and journal row,
/// written in one transaction with the others of its group, then carried out (the file moved).
/// Nothing moves before its decision is committed.
struct PendingDecision: Sendable {
    var index: Int
    var file: InboxFile
    var decision: JournalledStore
}

/// A failure that must stop the whole run (the store is locked, full or damaged): every
/// later file would fail the same way.
struct FatalRunError: Error {
    var error: any Error
}

/// Handles inbox files one at a time on one thread: decide (one transaction: store change and
/// journal row), then write the outputs, then move the file. Each worker owns one.
final class FileHandler {
    let context: RunContext
    let processor: DocumentProcessor
    private let sniffer: XMLStreamReader
    let transfers: (any TransferHandling)?
    /// The run's group commit for assessments (nil: each decision is its own transaction).
    let commits: GroupHandOff<PendingDecision>?

    init(context: RunContext, processor: DocumentProcessor, transfers: (any TransferHandling)?, commits: GroupHandOff<PendingDecision>? = nil) {
        self.context = context
        self.processor = processor
        self.sniffer = XMLStreamReader(limits: processor.options.limits)
        self.transfers = transfers
        self.commits = commits
    }

    /// Handles one file. Throws only `FatalRunError`; anything else becomes a `failed` entry
    /// and the file stays in the inbox for the next run. Nil: the decision was handed to the
    /// group commit, which carries it out and reports it.
    func handle(_ file: InboxFile, index: Int) async throws(FatalRunError) -> FileEntry? {
        do {
            return try await decideAndPlace(file, index: index)
        } catch let error as StoreError {
            throw FatalRunError(error: error)
        } catch {
            return context.failed(file, error)
        }
    }

    private func decideAndPlace(_ file: InboxFile, index: Int) async throws -> FileEntry? {
        let kind = Self.kindByName(file.name)
        // Larger than any document or package may be: decided without reading it into memory.
        let cap = kind == .package ? context.configuration.maxPackageBytes : context.configuration.limits.maxDocumentBytes
        if file.size > cap {
            let sha256 = try DocumentProcessor.sha256(.file(file.url.path))
            if let entry = try await decided(file, sha256: sha256) { return entry }
            if kind == .package {
                guard let transfers else { return try notHere(file, kind: .package) }
                return try await transfers.importPackage(file, bytes: nil, sha256: sha256, handler: self)
            }
            let finding = Finding(code: FindingCode.sizeLimit, message: "the file is \(file.size) bytes; the limit is \(cap) bytes")
            return try await quarantine(file, sha256: sha256, kind: .unknown, findings: [finding])
        }
        let bytes = try context.files.read(file.url)
        let sha256 = DocumentProcessor.sha256Hex(bytes)
        if let entry = try await decided(file, sha256: sha256) { return entry }
        switch kind ?? sniff(bytes, name: file.name) {
        case .package:
            guard let transfers else { return try notHere(file, kind: .package) }
            return try await transfers.importPackage(file, bytes: bytes, sha256: sha256, handler: self)
        case .receipt:
            guard let transfers else { return try notHere(file, kind: .receipt) }
            return try await transfers.applyReceipt(file, bytes: bytes, sha256: sha256, handler: self)
        case .assessment, .unknown:
            return try await assessment(file, index: index, bytes: bytes, sha256: sha256)
        }
    }

    static func kindByName(_ name: String) -> FileKind? {
        name.lowercased().hasSuffix(".y2a.zip") ? .package : nil
    }

    /// A receipt is recognised by its root element, like the assessments.
    private func sniff(_ bytes: Data, name: String) -> FileKind {
        guard let result = try? sniffer.sniff(.data(Array(bytes.prefix(64 * 1024)), name: name)), let root = result.root else { return .unknown }
        if root.localName == "TransferReceipt", root.namespace == "urn:y2a:transfer:1" { return .receipt }
        return DocumentProcessor.framework(of: root) == nil ? .unknown : .assessment
    }

    /// An earlier run's decision for these bytes under this name: just carry it out.
    private func decided(_ file: InboxFile, sha256: String) async throws -> FileEntry? {
        let row = try await (context.store ?? context.snapshot)?.processedFile(sha256: sha256, name: file.name)
        guard let row else { return nil }
        if context.dryRun {
            return FileEntry(name: file.name, kind: FileKind(rawValue: row.kind), outcome: .wouldMove, movedTo: row.destination, codes: row.codeList, transferId: row.transferId, caseId: row.caseId, bytes: file.size, recovered: true)
        }
        return try place(file, row, recovered: true)
    }

    private func assessment(_ file: InboxFile, index: Int, bytes: Data, sha256: String) async throws -> FileEntry? {
        let processed = try processor.process(.data(Array(bytes), name: file.name), convert: true)
        let report = processed.report
        guard report.valid, let record = processed.caseRecord else {
            return try await quarantine(file, sha256: sha256, kind: report.format == nil ? .unknown : .assessment, findings: report.findings, moreFindings: report.moreFindings)
        }
        let warnings = report.findings.map(\.code)
        guard let store = context.store else {
            let known = try await context.snapshot?.caseId(sha256: sha256) != nil
            return FileEntry(name: file.name, kind: .assessment, outcome: known ? .duplicate : .wouldStore, movedTo: "archive", codes: warnings, bytes: file.size)
        }
        let (runId, decidedAt) = (context.runId, context.decidedAt)
        // The row's blobs are made here, on this file's worker, not in the one writer.
        var request = StoreRequest(record: record, sourceXML: bytes, sourceName: file.name)
        try request.prepare()
        let decision = JournalledStore(document: request) { stored in
            let (outcome, caseId): (FileOutcome, Int64) = switch stored {
            case .stored(let caseId, _): (.stored, caseId)
            case .alreadyStored(let caseId): (.duplicate, caseId)
            }
            return ProcessedFile(
                sha256: sha256, name: file.name, kind: FileKind.assessment.rawValue, outcome: outcome.rawValue,
                destination: "archive", codes: warnings, caseId: caseId, runId: runId, decidedAt: decidedAt)
        }
        if let commits {
            await commits.add(PendingDecision(index: index, file: file, decision: decision), bytes: 2 * bytes.count)
            return nil
        }
        guard let row = try await store.storeAndJournal([decision], now: context.now).first else {
            throw BatchError(code: "INTERNAL", message: "the store answered no decision", path: file.url.path)
        }
        return try place(file, row, recovered: false)
    }

    /// Records a quarantine decision with its findings note, then carries it out.
    func quarantine(_ file: InboxFile, sha256: String, kind: FileKind, findings: [Finding], moreFindings: Int = 0, outcome: FileOutcome = .quarantined, transferId: String? = nil, receipt: (name: String, xml: Data)? = nil) async throws -> FileEntry {
        let codes = findings.filter(\.isError).map(\.code)
        guard let store = context.store else {
            return FileEntry(name: file.name, kind: kind, outcome: .wouldQuarantine, movedTo: "quarantine", codes: Array(Set(codes)).sorted(), transferId: transferId, bytes: file.size)
        }
        let note = try FindingsNote(file: file.name, sha256: sha256, kind: kind, outcome: outcome, transferId: transferId, findings: findings, moreFindings: moreFindings).json()
        let row = ProcessedFile(
            sha256: sha256, name: file.name, kind: kind.rawValue, outcome: outcome.rawValue, destination: "quarantine",
            codes: codes, transferId: transferId, findingsJSON: note, receiptName: receipt?.name, receiptXML: receipt?.xml,
            runId: context.runId, decidedAt: context.decidedAt)
        try await store.journal(row)
        return try place(file, row, recovered: false)
    }

    /// A dry run only says what it would do with packages and receipts (importing is deciding).
    private func notHere(_ file: InboxFile, kind: FileKind) throws -> FileEntry {
        guard context.dryRun else {
            throw BatchError(code: "INTERNAL", message: "no transfer handling in a live run", path: file.url.path)
        }
        return FileEntry(name: file.name, kind: kind, outcome: kind == .package ? .wouldImport : .wouldApply, bytes: file.size)
    }

    func place(_ file: InboxFile, _ row: ProcessedFile, recovered: Bool) throws -> FileEntry {
        try context.place(file, row, recovered: recovered)
    }
}

extension RunContext {
    /// A file that failed: reported and logged (no content), left in the inbox for the next run.
    func failed(_ file: InboxFile, _ error: any Error) -> FileEntry {
        let text = (error as? BatchError)?.description ?? (error as? GatewayError)?.description ?? "INTERNAL: \(error)"
        logger.error("file failed, left in the inbox", metadata: ["file": "\(file.name)", "error": "\(text)"])
        return FileEntry(name: file.name, outcome: .failed, bytes: file.size, error: text)
    }

    /// Carries out a committed decision: outputs first (written atomically, from the stored
    /// bytes, so rewriting them after a crash is harmless), then the move.
    func place(_ file: InboxFile, _ row: ProcessedFile, recovered: Bool) throws -> FileEntry {
        let context = self
        let configuration = context.configuration
        guard FileManager.default.fileExists(atPath: file.url.path) else {
            throw BatchError(code: "IO-VANISHED", message: "the file disappeared after it was decided; its decision is kept", path: file.url.path)
        }
        guard Inbox.unchanged(file) else {
            throw BatchError(code: "IO-CHANGED", message: "the file was replaced while it was being decided; the next run takes the new content", path: file.url.path)
        }
        let folder = row.destination == "archive" ? configuration.archive : configuration.quarantine
        try AtomicFile.makeDirectory(folder)
        let target = try context.files.target(for: file.url, sha256: row.sha256, in: folder)
        if let name = row.receiptName, let xml = row.receiptXML {
            try AtomicFile.makeDirectory(configuration.outbox)
            try context.files.write(xml, configuration.outbox.appendingPathComponent(name))
        }
        if let note = row.findingsJSON {
            try context.files.write(note, folder.appendingPathComponent(target.name + ".findings.json"))
        }
        try context.files.move(file.url, to: folder, as: target)
        let outcome = FileOutcome(rawValue: row.outcome) ?? .quarantined
        let entry = FileEntry(
            name: file.name, kind: FileKind(rawValue: row.kind), outcome: outcome, movedTo: "\(row.destination)/\(target.name)",
            codes: row.codeList, transferId: row.transferId, caseId: row.caseId, receipt: row.receiptName, bytes: file.size, recovered: recovered)
        context.logger.info("file decided", metadata: [
            "file": "\(file.name)", "outcome": "\(outcome.rawValue)", "to": "\(entry.movedTo ?? "-")",
            "codes": "\(row.codes)", "recovered": "\(recovered)",
        ])
        return entry
    }
}

/// How packages and receipts are handled (the Transfers module plugs in here).
protocol TransferHandling {
    /// `bytes` is nil for a package too large to hold in memory.
    func importPackage(_ file: InboxFile, bytes: Data?, sha256: String, handler: FileHandler) async throws -> FileEntry
    func applyReceipt(_ file: InboxFile, bytes: Data, sha256: String, handler: FileHandler) async throws -> FileEntry
}
