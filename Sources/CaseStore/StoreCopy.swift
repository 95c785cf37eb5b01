public import Foundation

/// One value of a copied row, as both engines can store it (a boolean is an integer 0 or 1).
public enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// A table as `y2a store migrate` copies it: the same names on both engines.
public struct StoreTable: Sendable {
    public enum Kind: Sendable { case integer, real, text, blob, boolean }

    public var name: String
    public var columns: [(name: String, kind: Kind)]
    /// The primary key: rows are read in its order and kept when already there.
    public var key: [String]
    /// Computed by SQLite from another column (never written there).
    public var derived: Set<String> = []

    public init(name: String, columns: [(name: String, kind: Kind)], key: [String], derived: Set<String> = []) {
        self.name = name
        self.columns = columns
        self.key = key
        self.derived = derived
    }

    public var columnNames: [String] { columns.map(\.name) }
}

/// Row-level copying, which both engines offer for `y2a store migrate` (not part of `Store`:
/// nothing else reads a table whole).
public protocol StoreCopying: Sendable {
    /// Rows of `table` in key order, `limit` from `offset`.
    func copyRows(of table: StoreTable, offset: Int, limit: Int) async throws -> [[StoreValue]]
    /// Inserts rows in one transaction, keeping a row whose key is there already.
    func insertRows(_ rows: [[StoreValue]], into table: StoreTable) async throws
    func rowCount(of table: StoreTable) async throws -> Int
    /// After a copy: generated ids continue past the largest copied one.
    func finishCopy() async throws
    /// The schema versions applied to this store.
    func appliedSchemaVersions() async throws -> [String]
}

/// Copies a whole store into another (SQLite to PostgreSQL or back), ids kept, then verifies
/// it: the same number of rows in every table, and every source document's bytes hash to its
/// SHA-256 with the same cases on both sides. Safe to re-run: rows already there are kept.
public struct StoreCopier: Sendable {
    /// Parents before children.
    public static let tables: [StoreTable] = {
        typealias T = StoreTable
        return [
            T(name: "organisation", columns: [("code", .text), ("name", .text), ("kind", .text), ("requiresTOTP", .boolean), ("createdAt", .text)], key: ["code"]),
            T(name: "account", columns: [
                ("id", .integer), ("name", .text), ("organisationCode", .text), ("roles", .text), ("passwordHash", .text), ("disabled", .boolean),
                ("totpSecret", .text), ("createdAt", .text), ("passwordChangedAt", .text),
            ], key: ["id"]),
            T(name: "session", columns: [
                ("idHash", .text), ("accountId", .integer), ("csrfToken", .text), ("createdAt", .real), ("lastSeenAt", .real),
                ("secondFactorPending", .boolean), ("address", .text),
            ], key: ["idHash"]),
            T(name: "apiToken", columns: [
                ("id", .integer), ("organisationCode", .text), ("name", .text), ("tokenHash", .text), ("createdAt", .text),
                ("expiresAt", .text), ("revokedAt", .text),
            ], key: ["id"]),
            // idempotentAnswer is not copied: answers kept for a day for retried API calls.
            T(name: "signInThrottle", columns: [("key", .text), ("failures", .integer), ("windowStart", .real), ("lockedUntil", .real)], key: ["key"]),
            T(name: "person", columns: [("id", .integer), ("pnc", .text), ("matchKey", .text), ("createdAt", .text)], key: ["id"]),
            T(name: "caseRecord", columns: [
                ("id", .integer), ("personId", .integer), ("sha256", .text), ("framework", .text), ("documentId", .text),
                ("organisationCode", .text), ("personRef", .text), ("pnc", .text), ("familyName", .text), ("givenNames", .text),
                ("stage", .text), ("status", .text), ("transferStatus", .text), ("assessedOn", .text), ("exportedAt", .text),
                ("importedAt", .text), ("sourceName", .text), ("recordJSON", .blob), ("sourceXML", .blob), ("sourceCompression", .text), ("dateOfBirth", .text),
            ], key: ["id"], derived: ["dateOfBirth"]),
            T(name: "caseHolder", columns: [
                ("caseId", .integer), ("organisationCode", .text), ("familyKey", .text), ("givenKey", .text), ("assessedOn", .text),
                ("stage", .text), ("statusKey", .text), ("framework", .text),
            ], key: ["organisationCode", "caseId"]),
            T(name: "caseWord", columns: [("word", .text), ("caseId", .integer)], key: ["word", "caseId"]),
            T(name: "caseDocument", columns: [
                ("id", .integer), ("caseId", .integer), ("fileName", .text), ("mediaType", .text), ("sha256", .text), ("isNOCO", .boolean),
                ("transferId", .text), ("bytes", .blob),
            ], key: ["id"]),
            T(name: "transfer", columns: [
                ("transferId", .text), ("kind", .text), ("personRef", .text), ("senderCode", .text), ("recipientCode", .text),
                ("recipientName", .text), ("documentId", .text), ("packageSha256", .text), ("packageName", .text), ("status", .text),
                ("createdAt", .text), ("updatedAt", .text), ("reason", .text),
            ], key: ["transferId"]),
            T(name: "transferEvent", columns: [
                ("id", .integer), ("transferId", .text), ("fromStatus", .text), ("toStatus", .text), ("at", .text), ("detail", .text),
            ], key: ["id"]),
            T(name: "receivedPackage", columns: [
                ("id", .integer), ("receiverCode", .text), ("packageSha256", .text), ("transferId", .text), ("decision", .text),
                ("reasons", .text), ("caseId", .integer), ("decidedAt", .text), ("receiptXML", .blob),
                ("senderCode", .text), ("kind", .text), ("personRef", .text),
            ], key: ["id"]),
            T(name: "batchRun", columns: [("id", .integer), ("startedAt", .text), ("finishedAt", .text), ("status", .text), ("summaryJSON", .blob)], key: ["id"]),
            T(name: "processedFile", columns: [
                ("sha256", .text), ("name", .text), ("kind", .text), ("outcome", .text), ("destination", .text), ("codes", .text),
                ("caseId", .integer), ("transferId", .text), ("findingsJSON", .blob), ("receiptName", .text), ("receiptXML", .blob),
                ("runId", .integer), ("decidedAt", .text),
            ], key: ["sha256", "name"]),
            T(name: "auditEvent", columns: [
                ("id", .integer), ("at", .text), ("actor", .text), ("accountId", .integer), ("organisationCode", .text), ("action", .text),
                ("caseId", .integer), ("transferId", .text), ("address", .text), ("outcome", .text), ("detail", .text), ("requestId", .text),
            ], key: ["id"]),
        ]
    }()

    /// What a copy did, table by table.
    public struct Result: Sendable {
        /// Table name → rows on both sides after the copy.
        public var rows: [(table: String, count: Int)]
        /// Source documents whose bytes were hashed on both sides.
        public var documentsVerified: Int
    }

    public var pageSize = 200
    /// SHA-256, lowercase hex (the store module has no hashing of its own).
    public var sha256: @Sendable (Data) -> String

    public init(sha256: @escaping @Sendable (Data) -> String) {
        self.sha256 = sha256
    }

    /// Copies `source` into `target` and verifies the copy; throws `STORE-MIGRATE` when the two
    /// differ afterwards (the target held other rows, or a document's bytes do not match).
    public func copy(from source: any StoreCopying, to target: any StoreCopying, progress: (String, Int) -> Void = { _, _ in }) async throws -> Result {
        // The source is read as it is, never migrated: an older one lacks columns the copy reads.
        let applied = Set(try await source.appliedSchemaVersions())
        let missing = CaseStore.schemaVersions.filter { !applied.contains($0) }
        if !missing.isEmpty {
            throw StoreError(
                code: "STORE-MIGRATE",
                message: "the store to copy is at an older schema than this y2a (missing \(missing.joined(separator: ", "))): open it once with this y2a, for example `y2a users list --store FROM`, then copy again", path: nil)
        }
        for table in Self.tables {
            var offset = 0
            while true {
                let rows = try await source.copyRows(of: table, offset: offset, limit: pageSize)
                if rows.isEmpty { break }
                try await target.insertRows(rows, into: table)
                offset += rows.count
                progress(table.name, offset)
                if rows.count < pageSize { break }
            }
        }
        try await target.finishCopy()
        var counts: [(String, Int)] = []
        for table in Self.tables {
            let (from, to) = (try await source.rowCount(of: table), try await target.rowCount(of: table))
            guard from == to else {
                throw StoreError(code: "STORE-MIGRATE", message: "\(table.name): \(from) rows in the source, \(to) in the target after the copy (the target held other data; copy into an empty store)", path: nil)
            }
            counts.append((table.name, to))
        }
        return Result(rows: counts, documentsVerified: try await verifyDocuments(source, target))
    }

    /// Every case's source document on both sides: same id and SHA-256, and the target's bytes
    /// hash to it.
    func verifyDocuments(_ source: any StoreCopying, _ target: any StoreCopying) async throws -> Int {
        let table = StoreTable(name: "caseRecord", columns: [("id", .integer), ("sha256", .text), ("sourceXML", .blob), ("sourceCompression", .text)], key: ["id"])
        var offset = 0
        var verified = 0
        while true {
            let (from, to) = (try await source.copyRows(of: table, offset: offset, limit: pageSize), try await target.copyRows(of: table, offset: offset, limit: pageSize))
            guard from.count == to.count else {
                throw StoreError(code: "STORE-MIGRATE", message: "the cases differ between source and target", path: nil)
            }
            for (a, b) in zip(from, to) {
                guard a[0] == b[0], a[1] == b[1], case .text(let expected) = b[1], case .blob(let stored) = b[2], case .text(let compression) = b[3],
                      case .integer(let caseId) = b[0],
                      let bytes = try? SourceCompression.unpack(stored, compression, caseId: caseId, path: nil), sha256(bytes) == expected else {
                    throw StoreError(code: "STORE-MIGRATE", message: "case \(Self.describe(b[0])): its source document in the target does not match the source's SHA-256", path: nil)
                }
                verified += 1
            }
            if from.count < pageSize { return verified }
            offset += from.count
        }
    }

    static func describe(_ value: StoreValue) -> String {
        if case .integer(let id) = value { return String(id) }
        return "?"
    }
}
