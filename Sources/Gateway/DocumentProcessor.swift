public import CaseRecord
import Findings
public import XMLSupport
import AssetFormat
public import AssetPlusFormat
import Crypto
public import Foundation

/// Options that shape how documents are checked.
public struct ProcessingOptions: Sendable {
    public var limits: XMLLimits
    public var countersignPolicy: CountersignPolicy

    public init(limits: XMLLimits = .default, countersignPolicy: CountersignPolicy = .contractDefault) {
        self.limits = limits
        self.countersignPolicy = countersignPolicy
    }
}

/// The result of processing one document: its report and, when asked for and valid, its case record.
public struct ProcessedDocument: Sendable {
    public var report: DocumentReport
    /// The case record, boxed: inline it made every outcome about 850 bytes, and a run over
    /// 10,000 files keeps an outcome per file (17 MB of its peak, most of it empty slots).
    private var record: RecordBox?
    /// The bytes that were validated and hashed, when asked for (`keepSource`), the input is a
    /// file and the document is valid: what a store keeps, so that importing reads and hashes
    /// each file once.
    public var source: Data?

    public var caseRecord: CaseRecord? {
        get { record?.value }
        set { record = newValue.map(RecordBox.init) }
    }

    public init(report: DocumentReport, caseRecord: CaseRecord?, source: Data? = nil) {
        self.report = report
        self.record = caseRecord.map(RecordBox.init)
        self.source = source
    }

    private final class RecordBox: Sendable {
        let value: CaseRecord
        init(_ value: CaseRecord) { self.value = value }
    }
}

/// Detects, validates and (optionally) converts documents, one at a time, on one thread.
///
/// Flow: sniff the prolog and root (empty, not XML, DOCTYPE, encoding: refused here, before
/// any validation) → pick the format by root element and namespace → one streaming pass that
/// validates against the XSD and collects the document → the framework's rules → mapping.
/// Not `Sendable`: each worker owns one. The schemas are shared.
public final class DocumentProcessor {
    public let schemas: SchemaCatalog
    public let options: ProcessingOptions
    private let reader: XMLStreamReader

    public init(schemas: SchemaCatalog, options: ProcessingOptions = .init()) {
        self.schemas = schemas
        self.options = options
        self.reader = XMLStreamReader(limits: options.limits)
    }

    /// Recognises a document's framework by its root element and namespace (never its file name).
    public static func framework(of root: XMLRootName) -> Framework? {
        switch (root.localName, root.namespace) {
        case (AssetPlusDocument.rootName, AssetPlusDocument.namespace?): .assetPlus
        case (AssetDocument.rootName, AssetDocument.namespace?): .asset
        default: nil
        }
    }

    /// Validates the document; with `convert`, also maps a valid one to its case record, and
    /// with `keepSource` as well, hands back the bytes it read (`ProcessedDocument.source`).
    public func process(_ input: XMLInput, convert: Bool = false, keepSource: Bool = false) throws(GatewayError) -> ProcessedDocument {
        let name = input.displayName
        do {
            let sniffed = try reader.sniff(input)
            if !sniffed.isValid || sniffed.root == nil {
                return .init(report: report(name, nil, sniffed.findings, sniffed.suppressedFindings, sniffed.bytesRead), caseRecord: nil)
            }
            guard let root = sniffed.root, let framework = Self.framework(of: root) else {
                // Unknown kind: still say whether it is well-formed, then what was expected.
                let parsed = try reader.read(input, schema: nil, handler: nil)
                var findings = parsed.findings
                findings.append(Finding(
                    code: FindingCode.unknownFormat,
                    message: "the root element is \(sniffed.root!); expected AssetPlus in namespace \(AssetPlusDocument.namespace) (AssetPlus.XML) or Asset in namespace \(AssetDocument.namespace) (Asset.XML)",
                    line: sniffed.rootLine, path: sniffed.root!.path))
                return .init(report: report(name, nil, findings, parsed.suppressedFindings, parsed.bytesRead), caseRecord: nil)
            }
            return try read(input, framework: framework, convert: convert, keepSource: convert && keepSource)
        } catch let error as XMLReadError {
            throw GatewayError(code: "IO-READ", message: error.description, path: name)
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError(code: "INTERNAL", message: "\(error)", path: name)
        }
    }

    private func read(_ input: XMLInput, framework: Framework, convert: Bool, keepSource: Bool) throws -> ProcessedDocument {
        // The framework gives the collector, its rules and its mapper; the pass is the same.
        let handler: SubtreeBuilder
        let rules: () -> [Finding]
        let map: (_ sha256: String, _ warnings: [Finding]) -> CaseRecord
        switch framework {
        case .assetPlus:
            let collector = AssetPlusReader(keepText: convert)
            let policy = options.countersignPolicy
            handler = collector.handler
            rules = { AssetPlusRules(policy: policy).check(collector.document) }
            map = { AssetPlusMapper.caseRecord(from: collector.document, sha256: $0, warnings: $1) }
        case .asset:
            let collector = AssetReader(keepText: convert)
            handler = collector.handler
            rules = { AssetRules.check(collector.document) }
            map = { AssetMapper.caseRecord(from: collector.document, sha256: $0, warnings: $1) }
        }
        // A document in memory is the caller's already: only a file's bytes are kept.
        let hash = SHA256Box(keeping: keepSource && input.isFile)
        let parsed = try reader.read(input, schema: schemas.schema(for: framework), handler: handler, onBytes: convert ? hash.update : nil)
        var findings = parsed.findings
        if parsed.isValid {
            findings += rules()
        }
        let report = report(input.displayName, framework, findings, parsed.suppressedFindings, parsed.bytesRead)
        guard convert, report.valid else { return .init(report: report, caseRecord: nil) }
        let (sha256, source) = try hash.finish(parsed, else: input)
        return .init(report: report, caseRecord: map(sha256, report.findings), source: source)
    }

    private func report(_ name: String, _ framework: Framework?, _ findings: [Finding], _ suppressed: Int, _ bytes: Int64) -> DocumentReport {
        var findings = findings
        let cap = options.limits.maxFindings
        var more = suppressed
        if findings.count > cap {
            more += findings.count - cap
            findings = Array(findings.sortedForReport().prefix(cap))
        }
        return DocumentReport(path: name, format: framework, findings: findings, moreFindings: more, bytes: bytes)
    }

    /// Hashes the bytes as the validating pass reads them, so converting reads a file once.
    final class SHA256Box {
        private var hasher = SHA256()
        private var bytes: Data?

        /// `keeping`: also keep a copy of the bytes (`finish` hands them back).
        init(keeping: Bool = false) {
            bytes = keeping ? Data() : nil
        }

        func update(_ chunk: UnsafeRawBufferPointer) {
            hasher.update(bufferPointer: chunk)
            bytes?.append(contentsOf: chunk)
        }

        /// The digest of what the pass read, and the bytes when keeping, when the pass read the
        /// whole input; else the input is read again here, so that the digest is always of the
        /// bytes handed back (a pass that stopped early never reaches conversion anyway).
        func finish(_ parsed: XMLParseResult, else input: XMLInput) throws -> (sha256: String, source: Data?) {
            if parsed.readToEnd { return (DocumentProcessor.hex(hasher.finalize()), bytes) }
            guard bytes != nil, case .file(let path) = input else { return (try DocumentProcessor.sha256(input), nil) }
            let whole: Data
            do {
                whole = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw GatewayError(code: "IO-READ", message: "cannot read the file again to keep it", path: path)
            }
            return (DocumentProcessor.sha256Hex(whole), whole)
        }
    }

    /// SHA-256 of the document's bytes, read in chunks (the source is never held in memory whole).
    public static func sha256(_ input: XMLInput) throws -> String {
        var hasher = SHA256()
        switch input {
        case .data(let bytes, _):
            hasher.update(data: bytes)
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw GatewayError(code: "IO-READ", message: "cannot open the file to hash it", path: path)
            }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        }
        return hex(hasher.finalize())
    }

    /// SHA-256 of bytes in memory, as lower-case hex.
    public static func sha256Hex(_ bytes: Data) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
