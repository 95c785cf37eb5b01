public import Foundation
import Synchronization

/// Atomic writes for many files into one folder, made durable together: each file is written to
/// a private temporary file (mode 0600), and once a group of them is written, one `syncfs` puts
/// all their bytes on disk before any is renamed to its name. So, as with `AtomicFile`, a file
/// never appears under its name half-written, even after a power cut; but the run pays one
/// flush per group instead of one `fsync` per file (which was most of `y2a convert`'s wall time
/// on ext4: a journal commit per file).
///
/// Files become visible a group at a time. A run killed mid-group leaves that group's hidden
/// `.<name>.<uuid>.tmp` files behind, never a partial file under a real name.
public final class AtomicFileGroup: Sendable {
    public let directory: URL
    /// Files per flush; also flushed when the pending bytes reach `maxPendingBytes`.
    public let groupSize: Int
    public let maxPendingBytes: Int

    private struct Pending {
        var temporary: String
        var target: String
        var tag: Int
    }

    private struct State {
        var pending: [Pending] = []
        var bytes = 0
        var failures: [(Int, GatewayError)] = []
        var written: [(Int, String)] = []
    }

    private let state = Mutex(State())
    /// Held while a group is flushed, so that groups are renamed in the order they were cut.
    private let flushing = Mutex(())

    /// Creates the folder (0700) if needed.
    public init(directory: URL, groupSize: Int = 256, maxPendingBytes: Int = 64 << 20) throws(GatewayError) {
        try AtomicFile.makeDirectory(directory)
        self.directory = directory
        self.groupSize = max(1, groupSize)
        self.maxPendingBytes = maxPendingBytes
    }

    /// Writes `data` as `name` in the folder; `tag` identifies the file in `finish()`'s results.
    /// From any thread. A failure to create or write the temporary file is thrown here; a
    /// failure to flush or rename it is reported by `finish()`.
    public func write(_ data: Data, name: String, tag: Int) throws(GatewayError) {
        let target = directory.appendingPathComponent(name).path
        let temporary = directory.appendingPathComponent(".\(name).\(UUID().uuidString).tmp").path
        try AtomicFile.writeUnsynced(data, temporary: temporary, target: target)
        let full = state.withLock { state -> [Pending]? in
            state.pending.append(Pending(temporary: temporary, target: target, tag: tag))
            state.bytes += data.count
            guard state.pending.count >= groupSize || state.bytes >= maxPendingBytes else { return nil }
            defer { state.pending = []; state.bytes = 0 }
            return state.pending
        }
        if let full { flush(full) }
    }

    /// Flushes what is pending; returns every file written (tag, path) and every failure.
    public func finish() -> (written: [(Int, String)], failures: [(Int, GatewayError)]) {
        let rest = state.withLock { state -> [Pending] in
            defer { state.pending = []; state.bytes = 0 }
            return state.pending
        }
        flush(rest)
        return state.withLock { ($0.written, $0.failures) }
    }

    private func flush(_ group: [Pending]) {
        guard !group.isEmpty else { return }
        flushing.withLock { _ in
            var failures: [(Int, GatewayError)] = []
            var written: [(Int, String)] = []
            if let failure = AtomicFile.syncFileSystem(of: directory.path) {
                for file in group {
                    unlink(file.temporary)
                    failures.append((file.tag, AtomicFile.writeError(failure, path: file.target)))
                }
            } else {
                for file in group {
                    if rename(file.temporary, file.target) == 0 {
                        written.append((file.tag, file.target))
                    } else {
                        let failure = errno
                        unlink(file.temporary)
                        failures.append((file.tag, AtomicFile.writeError(failure, path: file.target)))
                    }
                }
                // The renames themselves: one fsync of the folder for the whole group.
                AtomicFile.syncDirectory(directory.path)
            }
            state.withLock {
                $0.failures += failures
                $0.written += written
            }
        }
    }
}
