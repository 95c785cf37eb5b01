public import Foundation

/// An exclusive `flock` on a lock file: held while the process lives, released by the kernel
/// when it exits or is killed, so a crashed run never leaves a stale lock behind.
public final class BatchLock: Sendable {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock at once or throws `BatchError.locked`; never waits.
    public init(at url: URL) throws(BatchError) {
        path = url.path
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw BatchError(code: "BATCH-LOCK", message: "cannot open the lock file: \(String(cString: strerror(errno))) (check the store folder's permissions)", path: url.path)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            close(fd)
            if failure == EWOULDBLOCK { throw BatchError.locked(url.path) }
            throw BatchError(code: "BATCH-LOCK", message: "cannot lock: \(String(cString: strerror(failure)))", path: url.path)
        }
        descriptor = fd
        // The holder's pid, for people looking at the folder; the lock itself is the flock.
        let pid = Data("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
