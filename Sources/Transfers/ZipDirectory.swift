import Foundation

/// The central directory of a ZIP held in memory, read with every offset and length checked
/// against the bytes: the facts the checks need that ZIPFoundation does not expose (encryption
/// flag, method, the entry's file type from its external attributes, the raw name).
struct ZipDirectory {
    struct Entry {
        var nameBytes: [UInt8]
        var utf8Flag: Bool
        var encrypted: Bool
        var method: UInt16
        var crc32: UInt32
        /// The host system that wrote the entry (upper byte of "version made by").
        var host: UInt8
        var externalAttributes: UInt32
        var compressedSize: UInt64
        /// As the header claims: never trusted for limits.
        var declaredSize: UInt64
        /// Where the entry's (possibly compressed) data lies in the package.
        var dataRange: Range<Int>
        /// Where its local header starts.
        var localOffset: Int = 0
        /// General-purpose flag bit 3: a data descriptor follows the data.
        var hasDataDescriptor = false

        /// The name, when it decodes (UTF-8 when flagged, else ASCII only).
        var name: String? {
            if utf8Flag { return String(validating: nameBytes, as: UTF8.self) }
            guard nameBytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(decoding: nameBytes, as: UTF8.self)
        }

        /// Unix file type bits, when the writer was a Unix-like host (3 Unix, 19 macOS).
        private var unixType: UInt32? {
            guard host == 3 || host == 19 else { return nil }
            let type = (externalAttributes >> 16) & 0o170000
            return type == 0 ? nil : type
        }

        var isSymlink: Bool { unixType == 0o120000 }

        var isDirectory: Bool {
            if nameBytes.last == UInt8(ascii: "/") { return true }
            if let type = unixType { return type == 0o040000 }
            return host == 0 && externalAttributes & 0x10 != 0
        }

        /// A regular file, or a type this check cannot name (treated as not a file).
        var isOtherSpecial: Bool {
            guard let type = unixType else { return false }
            return type != 0o100000 && type != 0o040000 && type != 0o120000
        }
    }

    /// The ZIP is not readable; `message` says what is wrong.
    struct Unreadable: Error {
        var message: String
    }

    var entries: [Entry]

    init(_ data: Data) throws(Unreadable) {
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> UInt64 { UInt64(bytes[at]) | UInt64(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt64 { u16(at) | u16(at + 2) << 16 }
        func u64(_ at: Int) -> UInt64 { u32(at) | u32(at + 4) << 32 }
        func within(_ start: UInt64, _ length: UInt64) -> Bool {
            start <= UInt64(bytes.count) && length <= UInt64(bytes.count) - start
        }

        // End of central directory: the last signature in the final 64 KiB + 22 bytes.
        guard bytes.count >= 22 else { throw Unreadable(message: "too short to be a ZIP file") }
        var eocd = -1
        var position = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 0x05, bytes[position + 3] == 0x06 {
                eocd = position
                break
            }
            position -= 1
        }
        guard eocd >= 0 else { throw Unreadable(message: "not a ZIP file (no end of central directory)") }
        guard u16(eocd + 4) == 0, u16(eocd + 6) == 0 else { throw Unreadable(message: "multi-disk ZIP files are not supported") }
        var count = u16(eocd + 10)
        var directorySize = u32(eocd + 12)
        var directoryOffset = u32(eocd + 16)
        var zip64Record: Int?
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the locator sits just before the end record.
            let locator = eocd - 20
            guard locator >= 0, u32(locator) == 0x0706_4B50 else { throw Unreadable(message: "damaged ZIP64 end of central directory") }
            let record = u64(locator + 8)
            guard within(record, 56), u32(Int(record)) == 0x0606_4B50 else { throw Unreadable(message: "damaged ZIP64 end of central directory") }
            guard Int(record) + 56 <= locator else { throw Unreadable(message: "damaged ZIP64 end of central directory") }
            zip64Record = Int(record)
            count = u64(Int(record) + 32)
            directorySize = u64(Int(record) + 40)
            directoryOffset = u64(Int(record) + 48)
        }
        guard within(directoryOffset, directorySize), count <= directorySize / 46 + 1 else {
            throw Unreadable(message: "the central directory lies outside the file")
        }

        var entries: [Entry] = []
        var cursor = Int(directoryOffset)
        let directoryEnd = Int(directoryOffset + directorySize)
        for _ in 0..<count {
            guard cursor + 46 <= directoryEnd, u32(cursor) == 0x0201_4B50 else {
                throw Unreadable(message: "damaged central directory")
            }
            let nameLength = Int(u16(cursor + 28)), extraLength = Int(u16(cursor + 30)), commentLength = Int(u16(cursor + 32))
            guard cursor + 46 + nameLength + extraLength + commentLength <= directoryEnd else {
                throw Unreadable(message: "damaged central directory")
            }
            let flags = u16(cursor + 8)
            var compressed = u32(cursor + 20), declared = u32(cursor + 24), localOffset = u32(cursor + 42)
            // ZIP64 extra field: 8-byte values for the fields saturated above, in this order.
            var extra = cursor + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = u16(extra), size = Int(u16(extra + 2))
                guard extra + 4 + size <= extraEnd else { break }
                if id == 0x0001 {
                    var field = extra + 4
                    let fieldEnd = field + size
                    if declared == 0xFFFF_FFFF, field + 8 <= fieldEnd { declared = u64(field); field += 8 }
                    if compressed == 0xFFFF_FFFF, field + 8 <= fieldEnd { compressed = u64(field); field += 8 }
                    if localOffset == 0xFFFF_FFFF, field + 8 <= fieldEnd { localOffset = u64(field) }
                }
                extra += 4 + size
            }
            let nameBytes = Array(bytes[(cursor + 46)..<(cursor + 46 + nameLength)])
            // The local header: its name must agree, and the data must lie inside the file.
            guard within(localOffset, 30), u32(Int(localOffset)) == 0x0403_4B50 else {
                throw Unreadable(message: "an entry's local header is missing or damaged")
            }
            let local = Int(localOffset)
            let localName = Int(u16(local + 26)), localExtra = Int(u16(local + 28))
            let dataStart = UInt64(local + 30 + localName + localExtra)
            guard within(UInt64(local + 30), UInt64(localName)), Array(bytes[(local + 30)..<(local + 30 + localName)]) == nameBytes else {
                throw Unreadable(message: "an entry's local name differs from the central directory")
            }
            guard within(dataStart, compressed) else {
                throw Unreadable(message: "an entry's data lies outside the file")
            }
            entries.append(Entry(
                nameBytes: nameBytes, utf8Flag: flags & 0x0800 != 0, encrypted: flags & 0x0001 != 0,
                method: UInt16(u16(cursor + 10)), crc32: UInt32(u32(cursor + 16)), host: bytes[cursor + 5],
                externalAttributes: UInt32(u32(cursor + 38)), compressedSize: compressed, declaredSize: declared,
                dataRange: Int(dataStart)..<Int(dataStart + compressed),
                localOffset: local, hasDataDescriptor: flags & 0x0008 != 0))
            cursor += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
        try Self.checkNothingAround(
            entries, bytes: bytes, directoryStart: Int(directoryOffset), directoryEnd: directoryEnd,
            endRecord: eocd, zip64Record: zip64Record)
    }

    /// A package is exactly one ZIP with nothing around it (docs/contract-notes.md): the first
    /// entry at byte 0, each entry right after the one before, the central directory right after
    /// the last, the end record right after that, and the file ending where the end record (and
    /// its declared comment) ends. Bytes before, between or after, and two ZIPs joined end to
    /// end, are refused: a reader that looked elsewhere could see other files than ours.
    private static func checkNothingAround(
        _ entries: [Entry], bytes: [UInt8], directoryStart: Int, directoryEnd: Int, endRecord: Int, zip64Record: Int?
    ) throws(Unreadable) {
        let commentLength = Int(bytes[endRecord + 20]) | Int(bytes[endRecord + 21]) << 8
        guard endRecord + 22 + commentLength == bytes.count else {
            let extra = bytes.count - (endRecord + 22 + commentLength)
            throw Unreadable(message: extra > 0
                ? "\(extra) bytes follow the end of the ZIP; a package is exactly one ZIP file with nothing after it"
                : "the end record's comment runs past the end of the file")
        }
        // With ZIP64, the ZIP64 end record and its 20-byte locator sit between the directory and the end record.
        guard directoryEnd == (zip64Record ?? endRecord) else {
            throw Unreadable(message: "bytes lie between the central directory and the end of the ZIP (two ZIP files joined, or data appended)")
        }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        var expected = 0
        for entry in entries.sorted(by: { $0.localOffset < $1.localOffset }) {
            guard entry.localOffset == expected else {
                throw Unreadable(message: expected == 0
                    ? "bytes come before the first entry; a package is exactly one ZIP file with nothing before it"
                    : "bytes lie between two entries (or entries overlap)")
            }
            expected = entry.dataRange.upperBound
            if entry.hasDataDescriptor {
                // CRC and sizes (4+4 or ZIP64 8+8), after an optional signature.
                let signed = expected + 4 <= bytes.count && u32(expected) == 0x0807_4B50
                let base = expected + (signed ? 4 : 0)
                let candidates = [base + 12, base + 20]
                let next = entries.map(\.localOffset).filter { $0 >= base }.min() ?? directoryStart
                guard let end = candidates.first(where: { $0 == next }) else {
                    throw Unreadable(message: "an entry's data descriptor is damaged, or bytes follow it")
                }
                expected = end
            }
        }
        guard expected == directoryStart else {
            throw Unreadable(message: "bytes lie between the last entry and the central directory (two ZIP files joined, or data inserted)")
        }
    }
}
