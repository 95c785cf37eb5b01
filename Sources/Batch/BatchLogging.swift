public import Foundation
public import Logging

/// How the batch logs on standard error (`[log]` in the configuration, `--log-level`).
///
/// Under cron, stderr goes to a mail or a log file: by default only `notice` and above (the
/// run's start and summary lines, warnings, errors), not a line per file; `info` adds the
/// decision of every file. Lines carry file names, outcomes, codes and ids, never a value from
/// a document.
public struct BatchLogSettings: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// swift-log's plain lines.
        case text
        /// One JSON object per line (`time`, `level`, `label`, `message`, `metadata`).
        case json
    }

    /// nil: `notice` when stderr is not a terminal, `warning` on a terminal (a progress line shows instead).
    public var level: Logger.Level?
    public var format: Format

    public init(level: Logger.Level? = nil, format: Format = .text) {
        self.level = level
        self.format = format
    }

    /// The level in effect: the command line's, else the configuration's, else the default.
    public func effectiveLevel(commandLine: Logger.Level?, interactive: Bool) -> Logger.Level {
        commandLine ?? level ?? (interactive ? .warning : .notice)
    }

    /// A handler factory for `LoggingSystem.bootstrap`.
    public func makeHandler(level: Logger.Level) -> @Sendable (String) -> any LogHandler {
        let format = self.format
        return { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLinesLogHandler(label: label) { line in FileHandle.standardError.write(line) }
                handler.logLevel = level
                return handler
            }
        }
    }
}

/// A swift-log handler writing one JSON object per line. Hand-written: swift-log ships only
/// the plain stream handler, and no JSON handler is among the packages this project can use.
public struct JSONLinesLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public let label: String
    private let write: @Sendable (Data) -> Void

    public init(label: String, write: @escaping @Sendable (Data) -> Void) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var object: [String: Any] = [
            "time": ISO8601DateFormatter().string(from: Date()),
            "level": event.level.rawValue,
            "label": label,
            "message": "\(event.message)",
        ]
        if !fields.isEmpty { object["metadata"] = fields.mapValues(Self.plain) }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(UInt8(ascii: "\n"))
        write(line)
    }

    static func plain(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): "\(value)"
        case .array(let values): values.map(plain)
        case .dictionary(let values): values.mapValues(plain)
        }
    }
}
