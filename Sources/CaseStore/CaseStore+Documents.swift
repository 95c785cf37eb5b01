public import Foundation
public import GRDB

/// A file that came with a case in a transfer package.
public struct CaseDocument: Sendable, Hashable {
    public var id: Int64
    public var caseId: Int64
    public var fileName: String
    public var mediaType: String
    public var sha256: String
    public var isNOCO: Bool
    public var transferId: String?

    public init(id: Int64, caseId: Int64, fileName: String, mediaType: String, sha256: String, isNOCO: Bool, transferId: String?) {
        self.id = id
        self.caseId = caseId
        self.fileName = fileName
        self.mediaType = mediaType
        self.sha256 = sha256
        self.isNOCO = isNOCO
        self.transferId = transferId
    }
}

extension CaseStore {
    /// Keeps a package file with its case, inside the caller's transaction (idempotent).
    public static func insertCaseDocument(
        _ db: Database, caseId: Int64, fileName: String, mediaType: String, sha256: String, bytes: Data,
        transferId: String?, isNOCO: Bool
    ) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO caseDocument (caseId, fileName, mediaType, sha256, isNOCO, transferId, bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [caseId, fileName, mediaType, sha256, isNOCO, transferId, bytes])
    }

    /// The package files kept with a case, in the order they arrived.
    public func caseDocuments(caseId: Int64) throws(StoreError) -> [CaseDocument] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, caseId, fileName, mediaType, sha256, isNOCO, transferId FROM caseDocument WHERE caseId = ? ORDER BY id", arguments: [caseId]).map {
                CaseDocument(id: $0["id"], caseId: $0["caseId"], fileName: $0["fileName"], mediaType: $0["mediaType"], sha256: $0["sha256"], isNOCO: $0["isNOCO"], transferId: $0["transferId"])
            }
        }
    }

    /// One kept file's bytes.
    public func caseDocumentBytes(caseId: Int64, documentId: Int64) throws(StoreError) -> (document: CaseDocument, bytes: Data)? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM caseDocument WHERE caseId = ? AND id = ?", arguments: [caseId, documentId]).map {
                (CaseDocument(id: $0["id"], caseId: $0["caseId"], fileName: $0["fileName"], mediaType: $0["mediaType"], sha256: $0["sha256"], isNOCO: $0["isNOCO"], transferId: $0["transferId"]), $0["bytes"])
            }
        }
    }
}
