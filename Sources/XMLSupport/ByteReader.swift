#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Feeds a document's bytes to libxml2, counting them as they go so that the size limit is
/// judged on what is actually read, and so that nothing is decompressed behind our back
/// (libxml2's own file loader would transparently gunzip a `.xml` that is really gzip).
final class ByteReader {
    enum Failure: Equatable {
        case tooLarge
        /// A limit the markup scanner checks in the raw bytes.
        case markup(MarkupScanner.Breach)
        case readError(Int32)
    }

    private let fileDescriptor: Int32?
    private let data: [UInt8]?
    private var offset = 0
    private let limit: Int64
    private(set) var bytesRead: Int64 = 0
    private(set) var reachedEnd = false
    private(set) var failure: Failure?

    /// Opens a file for reading; throws `XMLReadError` when it cannot be opened.
    init(path: String, limit: Int64) throws(XMLReadError) {
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw XMLReadError(path: path, errno: errno)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw XMLReadError(path: path, errno: code)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFDIR:
            close(fd)
            throw XMLReadError(path: path, errno: EISDIR)
        default:
            // A FIFO, socket or device: reading it could block or never end.
            close(fd)
            throw XMLReadError(path: path, errno: EINVAL, reason: "not a regular file (a FIFO, socket or device)")
        }
        self.fileDescriptor = fd
        self.data = nil
        self.limit = limit
    }

    init(data: [UInt8], limit: Int64) {
        self.fileDescriptor = nil
        self.data = data
        self.limit = limit
    }

    deinit {
        if let fileDescriptor { close(fileDescriptor) }
    }

    /// Bytes `peek` read ahead, served again first by `read`.
    private var replay: [UInt8] = []
    private var replayOffset = 0
    /// Sees every byte once, in order, as libxml2 reads it (e.g. to hash the document in the same pass).
    var observer: ((UnsafeRawBufferPointer) -> Void)?

    /// Reads at most `count` bytes into `buffer`; 0 at the end, -1 on failure (libxml2's convention).
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int32 {
        let n: Int32
        if refused || failure != nil {
            return -1
        } else if replayOffset < replay.count, count > 0 {
            let take = min(count, replay.count - replayOffset)
            replay.withUnsafeBytes { raw in
                buffer.copyMemory(from: raw.baseAddress! + replayOffset, byteCount: take)
            }
            replayOffset += take
            n = Int32(take)
        } else {
            n = rawRead(into: buffer, count: count)
        }
        if n > 0, scanner != nil, !scanner!.scan(UnsafeRawBufferPointer(start: buffer, count: Int(n))), let breach = scanner!.breach {
            failure = .markup(breach)
            return -1
        }
        if n > 0, let observer {
            observer(UnsafeRawBufferPointer(start: buffer, count: Int(n)))
        }
        return n
    }

    /// Checks attribute counts, long runs and NUL bytes before libxml2 sees the bytes (nil: not checked).
    var scanner: MarkupScanner?

    /// Set once the session stopped the parser: libxml2 gets no more bytes (it may still
    /// scan what it has buffered before it sees the stop), and a refused read is not an end.
    private(set) var refused = false

    func refuseFurtherInput() {
        refused = true
    }

    private func rawRead(into buffer: UnsafeMutableRawPointer, count: Int) -> Int32 {
        if refused { return -1 }
        guard failure == nil, count > 0 else { return failure == nil ? 0 : -1 }
        var n: Int
        if let fileDescriptor {
            repeat {
                n = Glibc.read(fileDescriptor, buffer, count)
            } while n < 0 && errno == EINTR
            if n < 0 {
                failure = .readError(errno)
                return -1
            }
        } else if let data {
            n = min(count, data.count - offset)
            if n > 0 {
                data.withUnsafeBytes { raw in
                    buffer.copyMemory(from: raw.baseAddress! + offset, byteCount: n)
                }
                offset += n
            }
        } else {
            n = 0
        }
        if n == 0 {
            reachedEnd = true
            return 0
        }
        bytesRead += Int64(n)
        if bytesRead > limit {
            failure = .tooLarge
            return -1
        }
        return Int32(n)
    }

    /// The first `count` bytes (fewer for a short file), which later reads serve again: the
    /// file is opened and read once for both the quick look and the parse. Fresh readers only.
    func peek(count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = bytes.withUnsafeMutableBytes { rawRead(into: $0.baseAddress! + filled, count: count - filled) }
            if n <= 0 { break }
            filled += Int(n)
        }
        replay = Array(bytes[0..<filled])
        replayOffset = 0
        return replay
    }
}

/// A document could not be read at all (missing, unreadable, a directory): a failure, not a finding.
public struct XMLReadError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let errno: Int32
    /// Said instead of the errno's words when set.
    public let reason: String?

    public init(path: String, errno: Int32, reason: String? = nil) {
        self.path = path
        self.errno = errno
        self.reason = reason
    }

    public var description: String {
        "cannot read \(path): \(reason ?? String(cString: strerror(errno))) (check the path and its permissions)"
    }
}
