import CompressNIO
package import Foundation
import NIOCore

/// How a case's source document is kept (`caseRecord.sourceCompression`, schema
/// v10-source-compression, the same on both engines): byte for byte as it came (`""`), or those
/// bytes compressed with zlib (`"zlib"`, RFC 1950, level 1: the fastest, and the XML still
/// shrinks about sevenfold), whichever is smaller. Its SHA-256 is always the original's, and
/// every read gives the original bytes back. Documents stored before v10 stay as they were. The
/// case record JSON stays as written: the date of birth's index is computed from it.
package enum SourceCompression {
    package static let zlib = "zlib"

    /// The bytes to store for `source`, and how they are kept.
    package static func pack(_ source: Data) -> (bytes: Data, compression: String) {
        var input = ByteBuffer(bytes: source)
        guard let packed = try? input.compress(with: .zlib(configuration: ZlibConfiguration(compressionLevel: .fastestCompression))),
              packed.readableBytes < source.count else {
            return (source, "")
        }
        return (Data(packed.readableBytesView), zlib)
    }

    /// The original bytes of a stored document. A compression this binary does not know, or
    /// bytes that do not inflate to the whole document, are a damaged store (`STORE-CORRUPT`),
    /// never passed on as XML.
    package static func unpack(_ stored: Data, _ compression: String, caseId: Int64, path: String?) throws(StoreError) -> Data {
        switch compression {
        case "":
            return stored
        case zlib:
            var input = ByteBuffer(bytes: stored)
            let output: ByteBuffer
            do {
                output = try input.decompress(with: .zlib(), maxSize: Int(Int32.max))
            } catch {
                throw StoreError(code: "STORE-CORRUPT", message: "case \(caseId): its source document does not inflate (zlib): the store is damaged; restore it from a backup", path: path)
            }
            let bytes = Data(output.readableBytesView)
            // compress-nio answers a stream cut short with what it inflated so far, as if it
            // were whole. A whole zlib stream ends with the Adler-32 of its bytes (checked by
            // zlib when it gets there): a cut one almost never does.
            guard stored.count >= 4, stored.suffix(4).reduce(UInt32(0), { $0 << 8 | UInt32($1) }) == adler32(bytes) else {
                throw StoreError(code: "STORE-CORRUPT", message: "case \(caseId): its source document is cut short (zlib): the store is damaged; restore it from a backup", path: path)
            }
            return bytes
        default:
            throw StoreError(code: "STORE-CORRUPT", message: "case \(caseId): its source document is kept as \"\(compression)\", which this y2a does not know", path: path)
        }
    }

    /// Adler-32 (RFC 1950, section 9), the checksum that ends a zlib stream.
    package static func adler32(_ bytes: Data) -> UInt32 {
        var (a, b): (UInt32, UInt32) = (1, 0)
        bytes.withUnsafeBytes { buffer in
            var index = 0
            while index < buffer.count {
                // 5552 bytes at most between reductions keep b below 2^32 (zlib's NMAX).
                let end = min(index + 5552, buffer.count)
                for byte in buffer[index..<end] {
                    a += UInt32(byte)
                    b += a
                }
                a %= 65521
                b %= 65521
                index = end
            }
        }
        return b << 16 | a
    }
}
