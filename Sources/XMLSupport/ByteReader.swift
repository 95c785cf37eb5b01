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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw XMLReadError(path: path, errno: errno)
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw XMLReadError(path: path, errno: EISDIR)
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

    /// Reads at most `count` bytes into `buffer`; 0 at the end, -1 on failure (libxml2's convention).
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int32 {
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

    /// Reads up to `count` bytes from the start for sniffing, without disturbing later reads of
    /// a fresh reader. Only used on a fresh reader.
    func peek(count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { read(into: $0.baseAddress!, count: count) }
        return n > 0 ? Array(bytes[0..<Int(n)]) : []
    }
}

/// A document could not be read at all (missing, unreadable, a directory): a failure, not a finding.
public struct XMLReadError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let errno: Int32

    public var description: String {
        "cannot read \(path): \(String(cString: strerror(errno))) (check the path and its permissions)"
    }
}
