public import Foundation
import CaseRecord
public import Gateway
import NIOPosix
import Synchronization

/// Validates uploaded documents exactly as `y2a validate` does: the same `DocumentProcessor`,
/// schemas and limits, one document at a time on NIO's thread pool (never on an event loop).
/// The schemas are compiled at the first upload.
public final class DocumentChecker: Sendable {
    public let options: ProcessingOptions
    private let schemaDirectory: String?
    private let schemas = Mutex<SchemaCatalog?>(nil)

    /// `schemaDirectory`: as `--schemas` (nil: the installed or built-in XSDs).
    public init(options: ProcessingOptions = .init(), schemaDirectory: String? = nil) {
        self.options = options
        self.schemaDirectory = schemaDirectory
    }

    /// The largest file an upload may hold: the CLI's `--max-file-size`.
    public var maxFileBytes: Int64 { options.limits.maxDocumentBytes }

    public func catalog() throws -> SchemaCatalog {
        try schemas.withLock { cached in
            if let cached { return cached }
            let loaded = try SchemaCatalog.load(explicit: schemaDirectory)
            cached = loaded
            return loaded
        }
    }

    /// The document at `url` as `y2a validate` (or, with `convert`, `y2a convert`) processes it,
    /// off the cooperative pool, reported under `name` rather than the temporary path.
    public func process(_ url: URL, name: String, convert: Bool) async throws -> ProcessedDocument {
        let catalog = try catalog()
        let options = options
        return try await NIOThreadPool.singleton.runIfActive {
            var processed = try DocumentProcessor(schemas: catalog, options: options).process(.file(url.path), convert: convert)
            processed.report.path = name
            return processed
        }
    }

    /// The report (named `name`, not the temporary path) and, when valid, the case record.
    func check(_ url: URL, name: String) async throws -> (report: DocumentReport, record: CaseRecord?) {
        let processed = try await process(url, name: name, convert: true)
        return (processed.report, processed.caseRecord)
    }
}
