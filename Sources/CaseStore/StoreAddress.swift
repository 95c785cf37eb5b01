public import Foundation

/// Where a store is: a SQLite file, or a PostgreSQL database.
///
/// - a path, or `sqlite:PATH`: SQLite;
/// - `postgres://USER@HOST:PORT/DATABASE?sslmode=disable|require|verify-full`: PostgreSQL.
///
/// The password is never part of the address (so never on a command line or in a
/// configuration file): it comes from `$PGPASSWORD`, or from the file named by
/// `password_file=PATH` in the query, which holds the password alone.
public enum StoreAddress: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresAddress)

    /// Parses an address; a relative SQLite path is taken from `base` when given.
    public init(parsing text: String, relativeTo base: URL? = nil) throws(StoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(try PostgresAddress(parsing: trimmed))
            return
        }
        var path = trimmed.hasPrefix("sqlite:") ? String(trimmed.dropFirst("sqlite:".count)) : trimmed
        if path.contains("://") {
            throw StoreError(code: "STORE-ADDRESS", message: "unknown store address scheme: use a path, sqlite:PATH or postgres://USER@HOST:PORT/DATABASE", path: nil)
        }
        guard !path.isEmpty else {
            throw StoreError(code: "STORE-ADDRESS", message: "the store address is empty: give a path or postgres://USER@HOST:PORT/DATABASE", path: nil)
        }
        path = (path as NSString).expandingTildeInPath
        if let base, !path.hasPrefix("/") {
            path = base.appendingPathComponent(path).standardizedFileURL.path
        }
        self = .sqlite(path: path)
    }

    /// The SQLite file, or nil for PostgreSQL.
    public var sqliteFile: URL? {
        if case .sqlite(let path) = self { return URL(fileURLWithPath: path) }
        return nil
    }

    /// For messages: the path, or the PostgreSQL address without any secret.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let address): address.description
        }
    }
}

/// A PostgreSQL database to connect to.
public struct PostgresAddress: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable {
        /// No TLS: a throwaway local test cluster only.
        case disable
        /// TLS, without checking the server's certificate against a CA.
        case require
        /// TLS, the certificate checked against the system's CAs and the host name.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode
    /// A file holding the password alone; else `$PGPASSWORD`; else none (trust, or peer).
    public var passwordFile: String?

    public init(user: String, host: String, port: Int = 5432, database: String, tls: TLSMode = .verifyFull, passwordFile: String? = nil) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
        self.passwordFile = passwordFile
    }

    init(parsing text: String) throws(StoreError) {
        func fail(_ message: String) -> StoreError {
            StoreError(code: "STORE-ADDRESS", message: message, path: nil)
        }
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw fail("not a PostgreSQL address: write postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full")
        }
        if components.password != nil {
            throw fail("the address holds a password; give it in $PGPASSWORD or a file (password_file=PATH), never in the address")
        }
        guard let user = components.user, !user.isEmpty else {
            throw fail("the address names no user: write postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw fail("the address names no database: write postgres://USER@HOST:PORT/DATABASE")
        }
        var tls = TLSMode.verifyFull
        var passwordFile: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw fail("sslmode must be disable, require or verify-full")
                }
                tls = mode
            case "password_file":
                guard let value = item.value, !value.isEmpty else { throw fail("password_file needs a path") }
                passwordFile = value
            default:
                throw fail("unknown address parameter \(item.name): only sslmode and password_file are read")
            }
        }
        self.init(user: user, host: host, port: components.port ?? 5432, database: database, tls: tls, passwordFile: passwordFile)
    }

    /// The password: the file's first line, else `$PGPASSWORD`, else nil.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> String? {
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw StoreError(code: "STORE-ACCESS", message: "cannot read the password file (check its path and permissions)", path: passwordFile)
            }
            return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        }
        return environment["PGPASSWORD"]
    }

    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
    }
}
