public import CaseRecord
public import Crypto
public import Foundation
public import Gateway
import ZIPFoundation

/// Builds `<TransferId>.y2a.zip` from a valid assessment, exactly as the contract lays it out:
/// manifest.xml first, manifest.sig when signing, the assessment, NOCO.xml (YouthToAdult), then
/// attachments/<name>. The sender refuses what the receiver would reject, with the same codes.
public struct PackageBuilder {
    /// A file to attach: its plain name (becomes `attachments/<name>`) and bytes.
    public struct Attachment: Sendable {
        public var name: String
        public var bytes: Data
        public init(name: String, bytes: Data) {
            self.name = name
            self.bytes = bytes
        }
    }

    public struct Request {
        public var assessment: Data
        public var assessmentName: String
        public var kind: TransferKind
        public var recipient: Organisation
        public var attachments: [Attachment]
        public var signingKey: Curve25519.Signing.PrivateKey?
        public var now: Date
        public var transferId: String

        public init(
            assessment: Data, assessmentName: String, kind: TransferKind, recipient: Organisation,
            attachments: [Attachment] = [], signingKey: Curve25519.Signing.PrivateKey? = nil,
            now: Date = Date(), transferId: String = TransferClock.newTransferId()
        ) {
            self.assessment = assessment
            self.assessmentName = assessmentName
            self.kind = kind
            self.recipient = recipient
            self.attachments = attachments
            self.signingKey = signingKey
            self.now = now
            self.transferId = transferId
        }
    }

    /// A package built in memory, with what the ledger needs.
    public struct Built: Sendable {
        public var manifest: TransferManifest
        public var package: Data
        public var packageSha256: String
        public var record: CaseRecord
        public var report: DocumentReport
    }

    /// The builder's own failures (bad options, no NOCO generator): not a receiver's reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public let schemas: SchemaCatalog
    public let processor: DocumentProcessor
    public let noco: (any NOCOProvider)?

    public init(schemas: SchemaCatalog, processor: DocumentProcessor, noco: (any NOCOProvider)?) {
        self.schemas = schemas
        self.processor = processor
        self.noco = noco
    }

    /// Builds the package. Throws `PackageRejection` (INVALID_ASSESSMENT, WRONG_STAGE) for an
    /// assessment the receiver would reject, `Failure` for anything else that stops it.
    public func build(_ request: Request) throws -> Built {
        guard request.recipient.code.utf8.count >= 3, request.recipient.code.utf8.count <= 8,
              request.recipient.code.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) })
        else { throw Failure(message: "--to must be an organisation code of 3 to 8 capital letters or digits (for example N07)") }
        guard (1...200).contains(request.recipient.name.count) else {
            throw Failure(message: "--to-name must be 1 to 200 characters")
        }
        let (record, report) = try AssessmentCheck.validate(request.assessment, name: request.assessmentName, expected: nil, processor: processor)
        try AssessmentCheck.checkStage(record, kind: request.kind)
        guard let personId = record.person.id else {
            throw Failure(message: "the assessment has no person id, which the manifest's Subject needs")
        }
        let sender = Organisation(code: record.source.organisation.code, name: record.source.organisation.name)

        var files: [(TransferManifest.File, Data)] = []
        if request.kind == .youthToAdult {
            guard let noco else { throw Failure(message: "NOCO generator unavailable: a YouthToAdult package needs NOCO.xml") }
            let bytes: Data
            do {
                bytes = try noco.nocoXML(for: NOCORequest(
                    transferId: request.transferId, kind: request.kind, generatedAt: request.now,
                    from: sender, to: request.recipient, record: record))
            } catch {
                throw Failure(message: "the NOCO generator failed: \(error)")
            }
            files.append((file("NOCO.xml", bytes, role: .noco, mediaType: "application/xml"), bytes))
        }
        var names = Set<String>()
        for attachment in request.attachments {
            let path = "attachments/" + attachment.name
            guard PackageReader.pathProblem(path) == nil, PackageReader.isAttachmentPath(path), !attachment.name.hasPrefix(".") else {
                throw Failure(message: "cannot attach \(PackageReader.safeName(attachment.name)): an attachment needs a plain file name")
            }
            guard names.insert(attachment.name).inserted else {
                throw Failure(message: "two attachments are both named \(PackageReader.safeName(attachment.name)); rename one")
            }
            files.append((file(path, attachment.bytes, role: .attachment, mediaType: Self.mediaType(attachment.name)), attachment.bytes))
        }

        let format = record.source.format
        let manifest = TransferManifest(
            transferId: request.transferId, kind: request.kind, createdAt: TransferClock.timestamp(request.now),
            sender: sender, recipient: request.recipient, personId: personId, pnc: record.person.pnc, format: format,
            assessment: .init(path: format.fileName, sha256: DocumentProcessor.sha256Hex(request.assessment), size: Int64(request.assessment.count)),
            files: files.map(\.0))
        let manifestXML = manifest.xmlData()
        // The receiver reads the manifest with the same reader: never send one it would refuse.
        do {
            _ = try TransferManifest.read(manifestXML, reader: TransferDocumentReader(schema: schemas.transfer))
        } catch {
            throw Failure(message: "the manifest built is not valid (\(error.message)); check --to and --to-name")
        }

        var entries: [(String, Data)] = [(TransferManifest.fileName, manifestXML)]
        if let key = request.signingKey {
            let signature = try key.signature(for: manifestXML)
            entries.append((TransferManifest.signatureFileName, Data((signature.base64EncodedString() + "\n").utf8)))
        }
        entries.append((format.fileName, request.assessment))
        entries += files.map { ($0.0.checksum.path, $0.1) }
        let package = try Self.zip(entries, date: request.now)
        return Built(manifest: manifest, package: package, packageSha256: DocumentProcessor.sha256Hex(package), record: record, report: report)
    }

    private func file(_ path: String, _ bytes: Data, role: TransferManifest.FileRole, mediaType: String) -> TransferManifest.File {
        .init(checksum: .init(path: path, sha256: DocumentProcessor.sha256Hex(bytes), size: Int64(bytes.count)), role: role, mediaType: mediaType)
    }

    /// A ZIP of `entries`, in order, deflated, built in memory.
    static func zip(_ entries: [(String, Data)], date: Date) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (name, bytes) in entries {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date,
                permissions: 0o600, compressionMethod: .deflate
            ) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw Failure(message: "the ZIP could not be built in memory") }
        return data
    }

    /// The media type for an attachment, from its extension.
    static func mediaType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "pdf": "application/pdf"
        case "xml": "application/xml"
        case "txt": "text/plain"
        case "html", "htm": "text/html"
        case "json": "application/json"
        case "doc": "application/msword"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "odt": "application/vnd.oasis.opendocument.text"
        case "rtf": "application/rtf"
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }
}
