public import Foundation
import CaseRecord
import Gateway
import Synchronization

/// Checked uploads waiting for their uploader to store them (or not): the temporary file and
/// its findings, under a random token, for one organisation and one user. The case record is not
/// kept (a 50 MB document's record is tens of MB): storing checks the file again. An upload is
/// kept for an hour, and an organisation's oldest goes when it has `maxPerOrganisation`; another
/// organisation's token is not found.
public final class UploadShelf: Sendable {
    struct Upload: Sendable {
        var token: String
        var organisation: String
        var accountId: Int64?
        var file: ReceivedFile
        var report: DocumentReport
        var keptAt: Date
    }

    /// The 0700 folder holding the temporary files.
    let folder: URL
    private let uploads = Mutex<[String: Upload]>([:])
    private let lifetime: TimeInterval
    private let maxPerOrganisation: Int

    /// A shelf in a new private folder under `parent` (default: the system's temporary folder).
    public init(parent: URL = FileManager.default.temporaryDirectory, lifetime: TimeInterval = 3600, maxPerOrganisation: Int = 50) throws {
        folder = parent.appendingPathComponent("y2a-uploads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.lifetime = lifetime
        self.maxPerOrganisation = max(1, maxPerOrganisation)
    }

    /// The process's shelf, for routers built without one.
    public static let shared: UploadShelf = {
        do { return try UploadShelf() } catch { fatalError("cannot create the upload folder under \(FileManager.default.temporaryDirectory.path): \(error)") }
    }()

    func keep(_ upload: Upload) {
        let expired = uploads.withLock { uploads -> [Upload] in
            let cutoff = upload.keptAt.addingTimeInterval(-lifetime)
            var old = uploads.values.filter { $0.keptAt < cutoff }
            for item in old { uploads[item.token] = nil }
            let organisation = uploads.values.filter { $0.organisation == upload.organisation }.sorted { $0.keptAt < $1.keptAt }
            for item in organisation.prefix(max(0, organisation.count - maxPerOrganisation + 1)) {
                uploads[item.token] = nil
                old.append(item)
            }
            uploads[upload.token] = upload
            return old
        }
        for item in expired { try? FileManager.default.removeItem(at: item.file.url) }
    }

    /// The upload under `token`, if it is this organisation's and still kept.
    func upload(_ token: String, organisation: String, now: Date = Date()) -> Upload? {
        uploads.withLock { uploads in
            guard let upload = uploads[token], upload.organisation == organisation, now.timeIntervalSince(upload.keptAt) <= lifetime else { return nil }
            return upload
        }
    }

    /// Takes the upload off the shelf and deletes its file.
    func remove(_ token: String) {
        let removed = uploads.withLock { $0.removeValue(forKey: token) }
        if let removed { try? FileManager.default.removeItem(at: removed.file.url) }
    }

    /// Deletes a file that never made it onto the shelf.
    static func discard(_ files: [ReceivedFile]) {
        for file in files { try? FileManager.default.removeItem(at: file.url) }
    }
}
