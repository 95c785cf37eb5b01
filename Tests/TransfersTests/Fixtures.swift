import CaseRecord
import CaseStore
import TestSupport
import Crypto
import Foundation
import Gateway
import Transfers
import ZIPFoundation

/// Paths, schemas and builders shared by the transfer tests. All data synthetic (SampleFiles).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas: SchemaCatalog = try! SchemaCatalog(directory: root.appendingPathComponent("XSD"))

    static func sample(_ name: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent("SampleFiles/valid/\(name)"))
    }

    static func processor() -> DocumentProcessor {
        DocumentProcessor(schemas: schemas)
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-transfers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let fixedNow = Date(timeIntervalSince1970: 1_473_868_800) // 2016-09-14T16:00:00Z
}

/// A stand-in NOCO generator: the Transfers tests check the package, not NOCO's content.
struct StubNOCO: NOCOProvider {
    func nocoXML(for request: NOCORequest) throws -> Data {
        Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <NOCO xmlns="urn:y2a:noco:1" version="1"><TransferId>\(request.transferId)</TransferId></NOCO>

            """.utf8)
    }
}

/// One sender and one receiver, each with its own store: in memory (SQLite) by default, or
/// fresh stores on an engine.
struct Exchange {
    let sender: any Store
    let receiver: any Store
    let folder = try! Fixtures.temporaryFolder()

    init() {
        sender = try! CaseStore()
        receiver = try! CaseStore()
    }

    init(sender: any Store, receiver: any Store) {
        self.sender = sender
        self.receiver = receiver
    }

    /// A sender and a receiver, each with a new store on `engine`.
    static func on(_ engine: StoreKind) async throws -> Exchange {
        Exchange(sender: try await TestStores.open(engine), receiver: try await TestStores.open(engine))
    }

    /// The sender's SQLite store, for tests that tamper with it behind the engine's back.
    var sqliteSender: CaseStore { sender as! CaseStore }

    var ledger: TransferLedger { TransferLedger(store: sender) }

    func builder(noco: (any NOCOProvider)? = StubNOCO()) -> PackageBuilder {
        PackageBuilder(schemas: Fixtures.schemas, processor: Fixtures.processor(), noco: noco)
    }

    func build(_ sample: String, kind: TransferKind, to code: String = "N07", key: Curve25519.Signing.PrivateKey? = nil,
               attachments: [PackageBuilder.Attachment] = [], transferId: String = TransferClock.newTransferId()) throws -> PackageBuilder.Built {
        try builder().build(.init(
            assessment: try Fixtures.sample(sample), assessmentName: sample, kind: kind,
            recipient: Organisation(code: code, name: "Receiving Service & Co <\"Unit\">"), attachments: attachments,
            signingKey: key, now: Fixtures.fixedNow, transferId: transferId))
    }

    func importer(as code: String = "N07", trust: URL? = nil, requireSignature: Bool = false, limits: PackageLimits = .contractDefault) -> PackageImporter {
        PackageImporter(
            schemas: Fixtures.schemas, processor: Fixtures.processor(), store: receiver,
            options: .init(receiverCode: code, trustStore: trust, requireSignature: requireSignature, limits: limits))
    }

    /// Imports package bytes under a name, returning the decision.
    func receive(_ package: Data, name: String = "\(TransferClock.newTransferId()).y2a.zip", as code: String = "N07",
                 trust: URL? = nil, requireSignature: Bool = false, limits: PackageLimits = .contractDefault) async throws -> ImportOutcome {
        try await importer(as: code, trust: trust, requireSignature: requireSignature, limits: limits).importPackage(package, fileName: name, now: Fixtures.fixedNow)
    }
}

/// Hand-made packages: the entries, in order, of a package that is right in every respect,
/// to be broken one way per test.
struct CraftedPackage {
    var manifest: TransferManifest
    var entries: [(name: String, bytes: Data)]

    /// A correct YotToYot package of `sample` for N07, built by hand (not by PackageBuilder).
    static func valid(_ sample: String = "assetplus-transfer-yot-to-yot.xml", kind: TransferKind = .yotToYot, format: Framework = .assetPlus,
                      personId: String = "KY-118203", pnc: String? = "16/0007715C", files: [(String, Data)] = []) throws -> CraftedPackage {
        let assessment = try Fixtures.sample(sample)
        var package = CraftedPackage(
            manifest: TransferManifest(
                transferId: TransferClock.newTransferId(), kind: kind, createdAt: "2016-09-14T16:00:00Z",
                sender: Organisation(code: "K07", name: "Kestrelford YOT"), recipient: Organisation(code: "N07", name: "Northtown PDU"),
                personId: personId, pnc: pnc, format: format,
                assessment: .init(path: format.fileName, sha256: DocumentProcessor.sha256Hex(assessment), size: Int64(assessment.count)),
                files: []),
            entries: [(format.fileName, assessment)])
        for (path, bytes) in files {
            package.list(path, bytes)
            package.entries.append((path, bytes))
        }
        return package
    }

    /// Adds a file to the manifest (not to the ZIP).
    mutating func list(_ path: String, _ bytes: Data) {
        manifest.files.append(.init(
            checksum: .init(path: path, sha256: DocumentProcessor.sha256Hex(bytes), size: Int64(bytes.count)),
            role: path == "NOCO.xml" ? .noco : .attachment, mediaType: "application/octet-stream"))
    }

    /// The ZIP: manifest.xml first (unless `manifestXML` is nil), then the entries.
    func zip(manifestXML: Data? = nil, signature: Data? = nil, omitManifest: Bool = false) throws -> Data {
        var all: [(String, Data)] = []
        if !omitManifest { all.append(("manifest.xml", manifestXML ?? manifest.xmlData())) }
        if let signature { all.append(("manifest.sig", signature)) }
        all += entries.map { ($0.name, $0.bytes) }
        return try ZipBytes.make(all)
    }

    var fileName: String { manifest.packageFileName }
}

/// ZIPs made and patched byte by byte, for hostile packages.
enum ZipBytes {
    static func make(_ entries: [(String, Data)], method: CompressionMethod = .deflate) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (name, bytes) in entries {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: method) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data!
    }

    /// Offsets of the central-directory record and the local header of the entry `name`.
    static func headers(of name: String, in data: Data) -> (central: Int, local: Int) {
        let bytes = [UInt8](data)
        let nameBytes = Array(name.utf8)
        var index = 0
        while index + 46 <= bytes.count {
            if bytes[index..<index + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) {
                let length = Int(bytes[index + 28]) | Int(bytes[index + 29]) << 8
                if Array(bytes[(index + 46)..<(index + 46 + length)]) == nameBytes {
                    let local = Int(bytes[index + 42]) | Int(bytes[index + 43]) << 8 | Int(bytes[index + 44]) << 16 | Int(bytes[index + 45]) << 24
                    return (index, local)
                }
            }
            index += 1
        }
        fatalError("no entry \(name)")
    }

    static func put16(_ value: UInt16, at offset: Int, in data: inout Data) {
        data[data.startIndex + offset] = UInt8(value & 0xFF)
        data[data.startIndex + offset + 1] = UInt8(value >> 8)
    }

    static func put32(_ value: UInt32, at offset: Int, in data: inout Data) {
        put16(UInt16(value & 0xFFFF), at: offset, in: &data)
        put16(UInt16(value >> 16), at: offset + 2, in: &data)
    }
}
