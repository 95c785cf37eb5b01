public import CaseRecord
public import Foundation

/// An organisation as the manifest and receipt name it: `@code` and a name.
public struct Organisation: Sendable, Codable, Hashable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// `manifest.xml`: what the package holds, for whom, and the checksum of every file.
public struct TransferManifest: Sendable, Hashable {
    /// The namespace of manifest.xml and receipt.xml.
    public static let namespace = "urn:y2a:transfer:1"
    public static let fileName = "manifest.xml"
    public static let signatureFileName = "manifest.sig"

    /// A listed file: its path in the package, SHA-256 (lower-case hex) and size in bytes.
    public struct Checksum: Sendable, Hashable {
        public var path: String
        public var sha256: String
        public var size: Int64

        public init(path: String, sha256: String, size: Int64) {
            self.path = path
            self.sha256 = sha256
            self.size = size
        }
    }

    /// The role of a `File` entry.
    public enum FileRole: String, Sendable, Hashable {
        case noco = "Noco"
        case attachment = "Attachment"
    }

    /// A `File` entry: NOCO.xml or an attachment.
    public struct File: Sendable, Hashable {
        public var checksum: Checksum
        public var role: FileRole
        public var mediaType: String

        public init(checksum: Checksum, role: FileRole, mediaType: String) {
            self.checksum = checksum
            self.role = role
            self.mediaType = mediaType
        }
    }

    public var transferId: String
    public var kind: TransferKind
    /// `xs:dateTime` with a zone, as written.
    public var createdAt: String
    public var sender: Organisation
    public var recipient: Organisation
    public var personId: String
    public var pnc: String?
    public var format: Framework
    public var assessment: Checksum
    public var files: [File]

    public init(
        transferId: String, kind: TransferKind, createdAt: String, sender: Organisation, recipient: Organisation,
        personId: String, pnc: String?, format: Framework, assessment: Checksum, files: [File]
    ) {
        self.transferId = transferId
        self.kind = kind
        self.createdAt = createdAt
        self.sender = sender
        self.recipient = recipient
        self.personId = personId
        self.pnc = pnc
        self.format = format
        self.assessment = assessment
        self.files = files
    }

    /// Every listed path and its checksum: the assessment first, then the files in order.
    public var listed: [Checksum] {
        [assessment] + files.map(\.checksum)
    }

    /// The package's file name: `<TransferId>.y2a.zip`.
    public var packageFileName: String { "\(transferId).y2a.zip" }
}

/// Timestamps as the contract writes them: UTC, whole seconds, `Z`.
public enum TransferClock {
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// A new TransferId: a lower-case UUID.
    public static func newTransferId() -> String {
        UUID().uuidString.lowercased()
    }

    /// True for a lower-case UUID (the contract's TransferId form).
    public static func isTransferId(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) else { return false }
            }
        }
        return true
    }
}
