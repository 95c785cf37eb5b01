import AssetPlusFormat
import CaseStore
public import Foundation
public import Gateway
public import Logging
import Synchronization
import XMLSupport

/// One run of the nightly batch: lock, list the inbox, decide every settled file in parallel,
/// carry out each decision, report. Crash-safe: every decision is committed (with its journal
/// row) before anything moves, and a file whose bytes were decided before is only moved.
public struct BatchRunner: Sendable {
    public var configuration: BatchConfiguration
    public var files: BatchFileOperations
    public var logger: Logger
    /// Called once the inbox has been listed, before any file is read (a test seam: a file
    /// deleted here "disappears mid-run").
    public var afterListing: (@Sendable ([InboxFile]) -> Void)?
    /// Called after each file (from worker threads) with (done, total).
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(configuration: BatchConfiguration, files: BatchFileOperations = .system, logger: Logger = Logger(label: "y2a.batch")) {
        self.configuration = configuration
        self.files = files
        self.logger = logger
    }

    /// Runs once. Throws only when nothing could be done (configuration, lock, store); a
    /// failure part-way is reported in the returned report and its exit status.
    public func run(dryRun: Bool = false, now: Date = Date()) async throws(BatchError) -> BatchRunReport {
        let started = DispatchTime.now()
        let processing = try processingOptions()
        let schemas: SchemaCatalog
        do {
            schemas = try SchemaCatalog.load(explicit: configuration.schemas?.path)
        } catch {
            throw BatchError(code: error.code, message: error.message, path: error.path)
        }
        var lock: BatchLock?
        var storeLock: (any StoreLock)?
        var context = RunContext(configuration: configuration, store: nil, snapshot: nil, files: files, runId: 0, now: now, logger: logger)
        if dryRun {
            context.snapshot = try await Self.openStore(configuration.store, settings: StoreSettings(readOnly: true))
        } else {
            let storeFolder = configuration.store.sqliteFile.map { [$0.deletingLastPathComponent()] } ?? []
            for folder in storeFolder + [configuration.inbox, configuration.outbox, configuration.archive, configuration.quarantine, configuration.reports] {
                do { try AtomicFile.makeDirectory(folder) } catch { throw BatchError(code: error.code, message: error.message, path: error.path) }
            }
            if let lockFile = configuration.lockFile { lock = try BatchLock(at: lockFile) }
            guard let store = try await Self.openStore(configuration.store, settings: StoreSettings(writeAheadLog: true)) else {
                throw BatchError(code: "STORE-OPEN", message: "cannot open the store", path: configuration.store.description)
            }
            context.store = store
            do {
                storeLock = try await store.takeBatchLock()
                context.runId = try await store.beginBatchRun(now: now)
            } catch {
                await storeLock?.release()
                await store.close()
                throw Self.batchError(error, store: configuration.store)
            }
        }
        defer { withExtendedLifetime(lock) {} }
        if !dryRun { sweepTemporaryFiles() }

        let listed = try Inbox.list(configuration.inbox, settleSeconds: configuration.settleSeconds, now: now)
        logger.info("run started", metadata: ["run": "\(context.runId)", "files": "\(listed.files.count)", "dryRun": "\(dryRun)"])
        afterListing?(listed.files)

        let (entries, fatal) = await Self.process(listed.files, context: context, schemas: schemas, processing: processing, workers: configuration.workers, progress: progress)
        var report = BatchRunReport(
            runId: dryRun ? nil : context.runId, startedAt: CaseStore.batchTimestamp(now), dryRun: dryRun,
            files: entries, leftForLater: listed.leftForLater, notStarted: listed.files.count - entries.count,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9,
            failure: fatal.map { "\($0)" })
        if let fatal { logger.error("run stopped", metadata: ["error": "\(fatal)"]) }
        guard let store = context.store else {
            await context.snapshot?.close()
            return report
        }
        report.reportFiles = writeReports(&report, now: now)
        do {
            let summary = try JSONEncoder().encode(report.counts)
            try await store.finishBatchRun(context.runId, status: report.exitStatus == BatchRunReport.ExitCode.failure ? "failed" : "finished", summaryJSON: summary, now: Date())
        } catch {
            if report.failure == nil { report.failure = "\(error)" }
        }
        await storeLock?.release()
        await store.close()
        logger.notice("run finished", metadata: ["run": "\(context.runId)", "summary": "\(report.countsLine)"])
        return report
    }

    /// Opens the store (a dry run: read-only, nil when there is none yet), as a batch error.
    private static func openStore(_ address: StoreAddress, settings: StoreSettings) async throws(BatchError) -> (any Store)? {
        do {
            return try await StoreEngine.open(address, settings: settings)
        } catch {
            throw batchError(error, store: address)
        }
    }

    static func batchError(_ error: any Error, store: StoreAddress) -> BatchError {
        if let error = error as? BatchError { return error }
        if let error = error as? StoreError { return BatchError(code: error.code, message: error.message, path: error.path ?? store.description) }
        return BatchError(code: "STORE-ERROR", message: "\(error)", path: store.description)
    }

    /// A run killed while writing leaves `.<name>.<uuid>.tmp` files (AtomicFile's temporaries)
    /// in the output folders. We hold the lock, so any there now belongs to a dead run.
    private func sweepTemporaryFiles() {
        for folder in [configuration.outbox, configuration.archive, configuration.quarantine, configuration.reports] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                unlink(folder.appendingPathComponent(name).path)
            }
        }
    }

    private func processingOptions() throws(BatchError) -> ProcessingOptions {
        var policy = CountersignPolicy.contractDefault
        if let file = configuration.countersignaturePolicy {
            do {
                policy = try CountersignPolicy.load(from: file)
            } catch {
                throw BatchError(code: "CONFIG-POLICY", message: "cannot read the countersignature policy: it must be a JSON object such as {\"riskOfSeriousHarm\": [\"High\", \"VeryHigh\"]}", path: file.path)
            }
        }
        return ProcessingOptions(limits: configuration.limits, countersignPolicy: policy)
    }

    /// The workers: each takes the next file until none is left or a fatal error stops them all.
    private static func process(
        _ inbox: [InboxFile], context: RunContext, schemas: SchemaCatalog, processing: ProcessingOptions,
        workers: Int, progress: (@Sendable (Int, Int) -> Void)?
    ) async -> ([FileEntry], (any Error)?) {
        XMLLibrary.initialize()
        let shared = WorkerState(count: inbox.count)
        let finished: @Sendable (Int, FileEntry) -> Void = { index, entry in
            shared.results.withLock { $0[index] = entry }
            progress?(shared.done.wrappingAdd(1, ordering: .relaxed).newValue, inbox.count)
        }
        // A live run's assessments go to one committer (group commit: many files' cases and
        // journal rows in one transaction), which then carries each decision out.
        let commits = context.store.map { _ in GroupHandOff<PendingDecision>(maxItems: groupSize, gather: .milliseconds(25)) }
        let committer = Task {
            guard let commits, let store = context.store else { return }
            await commits.commitGroups { group in
                // After a fatal error nothing more is decided: those files stay for the next run.
                guard shared.fatal.withLock({ $0 == nil }) else { return }
                let rows: [ProcessedFile]
                do {
                    rows = try await store.storeAndJournal(group.map(\.decision), now: context.now)
                } catch {
                    shared.fatal.withLock { if $0 == nil { $0 = error } }
                    return
                }
                for (pending, row) in zip(group, rows) {
                    let entry: FileEntry
                    do {
                        entry = try context.place(pending.file, row, recovered: false)
                    } catch {
                        entry = context.failed(pending.file, error)
                    }
                    finished(pending.index, entry)
                }
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<min(workers, max(1, inbox.count)) {
                group.addTask {
                    let processor = DocumentProcessor(schemas: schemas, options: processing)
                    let handler = FileHandler(context: context, processor: processor, transfers: TransferSupport.make(context: context, schemas: schemas, processor: processor), commits: commits)
                    while shared.fatal.withLock({ $0 == nil }) {
                        let index = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < inbox.count else { break }
                        do throws(FatalRunError) {
                            // nil: handed to the group commit, which reports it once carried out.
                            guard let entry = try await handler.handle(inbox[index], index: index) else { continue }
                            finished(index, entry)
                        } catch {
                            shared.fatal.withLock { if $0 == nil { $0 = error.error } }
                        }
                    }
                }
            }
        }
        commits?.finish()
        await committer.value
        return (shared.results.withLock { $0.compactMap { $0 } }, shared.fatal.withLock { $0 })
    }

    /// Decisions per transaction at most (the committer takes whatever is waiting, up to this).
    static let groupSize = 256

    /// What the workers of one run share.
    private final class WorkerState: Sendable {
        let results: Mutex<[FileEntry?]>
        let fatal = Mutex<(any Error)?>(nil)
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)

        init(count: Int) {
            results = Mutex(Array(repeating: nil, count: count))
        }
    }

    /// The JSON and HTML reports in reports/, named by the run's start time.
    private func writeReports(_ report: inout BatchRunReport, now: Date) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stem = "batch-\(formatter.string(from: now))-run\(report.runId ?? 0)"
        var written: [String] = []
        do {
            let json = configuration.reports.appendingPathComponent(stem + ".json")
            let html = configuration.reports.appendingPathComponent(stem + ".html")
            report.reportFiles = [json.path, html.path]
            try files.write(try report.json(), json)
            written.append(json.path)
            try files.write(Data(report.html(organisation: configuration.organisation).utf8), html)
            written.append(html.path)
        } catch {
            logger.error("cannot write the run report", metadata: ["error": "\(error)"])
            if report.failure == nil { report.failure = "the run report could not be written: \(error)" }
        }
        return written
    }
}
