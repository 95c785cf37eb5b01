public import Foundation
public import XMLSupport
import Synchronization

/// Processes many documents in parallel across the cores: one `DocumentProcessor` (and so one
/// libxml2 validation context) per worker thread, the compiled schemas shared.
public struct BatchValidator: Sendable {
    public let schemas: SchemaCatalog
    public let options: ProcessingOptions
    public let jobs: Int

    public init(schemas: SchemaCatalog, options: ProcessingOptions = .init(), jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.schemas = schemas
        self.options = options
        self.jobs = max(1, jobs)
    }

    /// One outcome per input, in input order: a processed document, or the failure that stopped it.
    public typealias Outcome = Result<ProcessedDocument, GatewayError>

    /// Runs `work` on every input. `progress` is called (from worker threads) after each one.
    ///   - keepRecords: false to drop each case record once `each` has had it, so that a run over
    ///     ten thousand documents holds one record per worker, not ten thousand.
    ///   - keepSources: with `convert`, hand each valid document's bytes to `each`
    ///     (`ProcessedDocument.source`); they are never kept in the outcomes returned.
    public func run(
        _ inputs: [XMLInput], convert: Bool = false, keepRecords: Bool = true, keepSources: Bool = false,
        each: (@Sendable (Int, Outcome) -> Void)? = nil
    ) -> [Outcome] {
        XMLLibrary.initialize()
        let results = Mutex<[Outcome?]>(Array(repeating: nil, count: inputs.count))
        let next = Atomic<Int>(0)
        let workers = min(jobs, max(1, inputs.count))
        let schemas = self.schemas
        let options = self.options
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let processor = DocumentProcessor(schemas: schemas, options: options)
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < inputs.count else { break }
                let outcome: Outcome
                do {
                    outcome = .success(try processor.process(inputs[index], convert: convert, keepSource: keepSources))
                } catch let error as GatewayError {
                    outcome = .failure(error)
                } catch {
                    outcome = .failure(GatewayError(code: "INTERNAL", message: "\(error)"))
                }
                each?(index, outcome)
                var kept = outcome
                if case .success(var document) = outcome, !keepRecords || document.source != nil {
                    if !keepRecords { document.caseRecord = nil }
                    document.source = nil
                    kept = .success(document)
                }
                results.withLock { $0[index] = kept }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Expands files and folders (recursively, sorted) into the documents to process. Hidden
    /// files and folders are skipped; only regular `.xml` files (any case) are taken from
    /// folders (links, FIFOs and devices inside a folder are skipped), while a file named
    /// explicitly is always taken, if it is a regular file. A folder that cannot be listed, at
    /// any depth, is an `IO-READ` failure ("permission denied"), never "0 files"; a FIFO or
    /// device named explicitly is `IO-NOT-REGULAR`, refused before anything opens it.
    public static func expand(_ paths: [String]) throws(GatewayError) -> [String] {
        var files: [String] = []
        for path in paths {
            switch InputPath.kind(of: path) {
            case nil:
                throw GatewayError(code: "IO-MISSING", message: "no such file or folder (check the path)", path: path)
            case .regularFile?:
                files.append(path)
            case .other(let what)?:
                throw InputPath.notRegular(path, what)
            case .directory?:
                // Paths stay as the user wrote them (relative stays relative) so reports read naturally.
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                var found: [String] = []
                try walk(base, into: &found)
                files += found.sorted()
            }
        }
        return files
    }

    private static func walk(_ directory: String, into found: inout [String]) throws(GatewayError) {
        for name in try InputPath.entries(of: directory) where !name.hasPrefix(".") {
            let path = directory + "/" + name
            switch InputPath.entryKind(path) {
            case S_IFDIR?:
                try walk(path, into: &found)
            case S_IFREG?:
                if (name as NSString).pathExtension.lowercased() == "xml" { found.append(path) }
            default:
                continue
            }
        }
    }
}
