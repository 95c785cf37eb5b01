public import Foundation

/// A batch configuration as `y2a batch --config` reads it, in `folder` (its relative folders
/// under it), for tests that run the batch as cron would.
public enum BatchFolders {
    /// The TOML text: the organisation receiving, the store, no settling, the checkout's XSDs,
    /// the five folders, then `extra` lines.
    public static func configuration(organisation: String, store: String, workers: Int? = nil, extra: String = "") -> String {
        """
        organisation = "\(organisation)"
        store = "\(store)"
        \(workers.map { "workers = \($0)" } ?? "")
        settle_seconds = 0
        schemas = "\(Fixtures.xsdDirectory.path)"
        [folders]
        inbox = "inbox"
        outbox = "outbox"
        archive = "archive"
        quarantine = "quarantine"
        reports = "reports"
        \(extra)
        """
    }

    /// Writes `folder/batch.toml` and answers its URL.
    public static func write(in folder: URL, organisation: String, store: String) throws -> URL {
        let file = folder.appendingPathComponent("batch.toml")
        try Data(configuration(organisation: organisation, store: store).utf8).write(to: file)
        return file
    }
}
