public import CaseStore
public import Foundation
import Logging
import TOMLKit
public import XMLSupport

/// The nightly batch's settings, read from one TOML file (`docs/batch.example.toml`).
/// Relative paths are resolved against the configuration file's folder, so a config and its
/// folders can move together.
public struct BatchConfiguration: Sendable {
    /// The organisation this gateway acts for (packages must be addressed to it).
    public var organisation: String
    public var organisationName: String?
    /// A SQLite path or a PostgreSQL address (`StoreAddress`).
    public var store: StoreAddress
    public var inbox: URL
    public var outbox: URL
    public var archive: URL
    public var quarantine: URL
    public var reports: URL
    /// A folder of `<CODE>.pub` files (base64 Ed25519 public keys) for package signatures.
    public var trustStore: URL?
    public var requireSignature: Bool
    /// The countersignature policy (JSON), or nil for the contract's default.
    public var countersignaturePolicy: URL?
    /// The project's XSD folder, or nil to find it as the other commands do.
    public var schemas: URL?
    public var workers: Int
    /// Files modified less than this many seconds ago are left for the next run.
    public var settleSeconds: Int
    public var limits: XMLLimits
    public var maxPackageBytes: Int64
    public var maxEntryBytes: Int64
    public var maxCompressionRatio: Int
    /// `[log]`: level and format of the stderr log.
    public var log = BatchLogSettings()

    /// The lock file: beside a SQLite store, so two configs sharing a store share a lock. A
    /// PostgreSQL store has none: its batch lock is an advisory lock in the database, so a
    /// second batch on any host is refused.
    public var lockFile: URL? {
        store.sqliteFile.map { $0.deletingLastPathComponent().appendingPathComponent(".\($0.lastPathComponent).batch-lock") }
    }
}

extension BatchConfiguration {
    /// Reads and checks a configuration file. Unknown keys are refused (a typo must not
    /// silently fall back to a default).
    public static func load(from url: URL) throws(BatchError) -> BatchConfiguration {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw BatchError(code: "CONFIG-READ", message: "cannot read the configuration file (check the path and permissions)", path: url.path)
        }
        return try parse(text, base: url.deletingLastPathComponent(), path: url.path)
    }

    /// Parses configuration text; relative paths are taken from `base`.
    public static func parse(_ text: String, base: URL, path: String? = nil) throws(BatchError) -> BatchConfiguration {
        let file: File
        do {
            file = try TOMLDecoder(strictDecoding: true).decode(File.self, from: text)
        } catch let error as TOMLParseError {
            throw BatchError(code: "CONFIG-SYNTAX", message: "not valid TOML at line \(error.source.begin.line): \(error.description)", path: path)
        } catch let error as UnexpectedKeysError {
            let keys = error.keys.keys.sorted()
            throw BatchError(code: "CONFIG-KEY", message: "unknown setting(s): \(keys.joined(separator: ", ")) (see docs/batch.md)", path: path)
        } catch let DecodingError.keyNotFound(key, context) {
            // TOMLKit reports a value of the wrong type as a missing key: tell them apart.
            var names = context.codingPath.map(\.stringValue)
            if names.last != key.stringValue { names.append(key.stringValue) }
            let name = names.joined(separator: ".")
            if Self.isPresent(names, in: text) {
                throw BatchError(code: "CONFIG-TYPE", message: "the setting \(name) has the wrong type (see docs/batch.md)", path: path)
            }
            throw BatchError(code: "CONFIG-MISSING", message: "the setting \(name) is required (see docs/batch.md)", path: path)
        } catch let DecodingError.typeMismatch(_, context) {
            let name = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw BatchError(code: "CONFIG-TYPE", message: "the setting \(name) has the wrong type (see docs/batch.md)", path: path)
        } catch {
            throw BatchError(code: "CONFIG-SYNTAX", message: "cannot read the configuration: \(error)", path: path)
        }
        func resolve(_ value: String) -> URL {
            let expanded = (value as NSString).expandingTildeInPath
            return expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded).standardizedFileURL : base.appendingPathComponent(expanded).standardizedFileURL
        }
        let defaults = XMLLimits.default
        let store: StoreAddress
        do {
            store = try StoreAddress(parsing: file.store, relativeTo: base)
        } catch {
            throw BatchError(code: "CONFIG-VALUE", message: "store: \(error.message)", path: path)
        }
        let configuration = BatchConfiguration(
            organisation: file.organisation,
            organisationName: file.organisationName,
            store: store,
            inbox: resolve(file.folders.inbox),
            outbox: resolve(file.folders.outbox),
            archive: resolve(file.folders.archive),
            quarantine: resolve(file.folders.quarantine),
            reports: resolve(file.folders.reports),
            trustStore: file.keys?.trustStore.map(resolve),
            requireSignature: file.keys?.requireSignature ?? false,
            countersignaturePolicy: file.policy?.countersignature.map(resolve),
            schemas: file.schemas.map(resolve),
            workers: file.workers ?? ProcessInfo.processInfo.activeProcessorCount,
            settleSeconds: file.settleSeconds ?? 10,
            limits: XMLLimits(
                maxDocumentBytes: file.limits?.maxFileBytes ?? 100 << 20,  // the batch holds a file in memory while storing it
                maxDepth: file.limits?.maxDepth ?? defaults.maxDepth,
                maxTextBytes: file.limits?.maxTextBytes ?? defaults.maxTextBytes,
                maxFindings: file.limits?.maxFindings ?? defaults.maxFindings,
                maxAttributes: file.limits?.maxAttributes ?? defaults.maxAttributes),
            maxPackageBytes: file.limits?.maxPackageBytes ?? 200 << 20,
            maxEntryBytes: file.limits?.maxEntryBytes ?? 100 << 20,
            maxCompressionRatio: file.limits?.maxCompressionRatio ?? 100)
        var configured = configuration
        configured.log = try Self.logSettings(file.log, path: path)
        try configured.check(path: path)
        return configured
    }

    private static func logSettings(_ log: Log?, path: String?) throws(BatchError) -> BatchLogSettings {
        var settings = BatchLogSettings()
        if let level = log?.level {
            guard let parsed = Logger.Level(rawValue: level) else {
                throw BatchError(code: "CONFIG-VALUE", message: "log.level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))", path: path)
            }
            settings.level = parsed
        }
        if let format = log?.format {
            guard let parsed = BatchLogSettings.Format(rawValue: format) else {
                throw BatchError(code: "CONFIG-VALUE", message: "log.format must be text or json", path: path)
            }
            settings.format = parsed
        }
        return settings
    }

    private static func isPresent(_ names: [String], in text: String) -> Bool {
        guard var table = try? TOMLTable(string: text) else { return false }
        for name in names.dropLast() {
            guard let inner = table[name]?.table else { return false }
            table = inner
        }
        return names.last.map { table[$0] != nil } ?? false
    }

    private func check(path: String?) throws(BatchError) {
        func fail(_ message: String) -> BatchError { BatchError(code: "CONFIG-VALUE", message: message, path: path) }
        guard organisation.wholeMatch(of: /[A-Z0-9]{1,10}/) != nil else {
            throw fail("organisation must be the organisation code in capitals and digits (e.g. \"N07\")")
        }
        guard (1...64).contains(workers) else { throw fail("workers must be between 1 and 64") }
        guard settleSeconds >= 0 else { throw fail("settle_seconds must be 0 or more") }
        guard limits.maxDocumentBytes > 0, limits.maxDepth > 0, limits.maxTextBytes > 0, limits.maxFindings > 0, limits.maxAttributes > 0,
              maxPackageBytes > 0, maxEntryBytes > 0, maxCompressionRatio > 0
        else { throw fail("limits must be positive numbers") }
        let folders = [inbox, outbox, archive, quarantine, reports].map(\.path)
        guard Set(folders).count == folders.count else {
            throw fail("inbox, outbox, archive, quarantine and reports must be five different folders")
        }
    }

    /// The file's shape, as written in TOML (snake_case keys).
    private struct File: Decodable {
        var organisation: String
        var organisationName: String?
        var store: String
        var schemas: String?
        var workers: Int?
        var settleSeconds: Int?
        var folders: Folders
        var keys: Keys?
        var limits: Limits?
        var policy: Policy?
        var log: Log?

        enum CodingKeys: String, CodingKey {
            case organisation, store, schemas, workers, folders, keys, limits, policy, log
            case organisationName = "organisation_name"
            case settleSeconds = "settle_seconds"
        }
    }

    private struct Log: Decodable {
        var level: String?
        var format: String?
    }

    private struct Folders: Decodable {
        var inbox, outbox, archive, quarantine, reports: String
    }

    private struct Keys: Decodable {
        var trustStore: String?
        var requireSignature: Bool?
        enum CodingKeys: String, CodingKey {
            case trustStore = "trust_store"
            case requireSignature = "require_signature"
        }
    }

    private struct Limits: Decodable {
        var maxFileBytes: Int64?
        var maxDepth: Int?
        var maxTextBytes: Int?
        var maxFindings: Int?
        var maxAttributes: Int?
        var maxPackageBytes: Int64?
        var maxEntryBytes: Int64?
        var maxCompressionRatio: Int?
        enum CodingKeys: String, CodingKey {
            case maxFileBytes = "max_file_bytes"
            case maxDepth = "max_depth"
            case maxTextBytes = "max_text_bytes"
            case maxFindings = "max_findings"
            case maxAttributes = "max_attributes"
            case maxPackageBytes = "max_package_bytes"
            case maxEntryBytes = "max_entry_bytes"
            case maxCompressionRatio = "max_compression_ratio"
        }
    }

    private struct Policy: Decodable {
        var countersignature: String?
    }
}
