/// The Offence, Incident and Episode ids of one document (one xs:ID space), as the id rules
/// need them: is this id taken, and what is it (`AssetPlusDocument.IdInfo`).
///
/// Up to `exactLimit` ids (every real assessment: a few dozen offences) they are kept exactly,
/// in a dictionary of strings. Past that, a document is one of the huge ones (a 1 GB document
/// holds 1.8 million ids) and the table turns compact: each id becomes a 60-bit hash from
/// Swift's `Hasher` (SipHash, keyed at random in every process, so no document can be made to
/// collide on purpose) with its four bits of kind and flags packed into the same 8 bytes, kept
/// sorted in 4,096 buckets by the hash's top bits. That is 8.5 bytes an id instead of ~55 (a
/// dictionary of strings at its load factor, twice that while it grows), and no large copy as
/// it grows. The price: two different ids with the same 60 bits would be taken for one, a chance
/// of about n²/2⁶¹ (one in 700,000 at 1.8 million ids); an offence's line is kept only where a
/// finding can name it (an offence whose outcome removes it from assessment).
struct AssetPlusIdTable {
    typealias Info = AssetPlusDocument.IdInfo

    /// Ids kept exactly before the table turns compact.
    static let defaultExactLimit = 1 << 16

    private let exactLimit: Int
    private var exact: [String: Info] = [:]
    private var compact: CompactIds?

    init(exactLimit: Int = Self.defaultExactLimit) {
        self.exactLimit = exactLimit
    }

    /// True once the table keeps hashes instead of ids.
    var isCompact: Bool { compact != nil }

    var count: Int { compact?.count ?? exact.count }

    subscript(id: String) -> Info? {
        if let compact { return compact.info(Self.key(id)) }
        return exact[id]
    }

    /// Adds the id unless it is taken; false when it was (the first one stays).
    mutating func insert(_ id: String, _ info: Info) -> Bool {
        if compact != nil {
            return compact!.insert(Self.key(id), info)
        }
        guard exact[id] == nil else { return false }
        exact[id] = info
        if exact.count > exactLimit {
            var table = CompactIds()
            for (id, info) in exact { _ = table.insert(Self.key(id), info) }
            exact = [:]
            compact = table
        }
        return true
    }

    /// The id's hash with the low four bits cleared for the flags.
    static func key(_ id: String) -> UInt64 {
        UInt64(bitPattern: Int64(id.hashValue)) & ~0xF
    }
}

/// Ids as 8-byte entries (60 bits of hash, 4 of kind and flags), in sorted buckets.
private struct CompactIds {
    private static let bucketBits = 12
    private var buckets = [[UInt64]](repeating: [], count: 1 << bucketBits)
    /// The lines of the offences whose outcome removes them (`IdInfo.removing`), by key.
    private var removingLines: [UInt64: Int32] = [:]
    private(set) var count = 0

    private static func bucket(_ key: UInt64) -> Int { Int(key >> UInt64(64 - bucketBits)) }

    private static func pack(_ key: UInt64, _ info: AssetPlusDocument.IdInfo) -> UInt64 {
        key | UInt64(info.kind.rawValue) | (info.outstanding ? 4 : 0) | (info.removing ? 8 : 0)
    }

    /// The index of the first entry whose key is not below `key`.
    private static func position(_ key: UInt64, in entries: [UInt64]) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle] & ~0xF < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    func info(_ key: UInt64) -> AssetPlusDocument.IdInfo? {
        let entries = buckets[Self.bucket(key)]
        let at = Self.position(key, in: entries)
        guard at < entries.count, entries[at] & ~0xF == key else { return nil }
        let flags = entries[at] & 0xF
        let removing = flags & 8 != 0
        return .init(kind: .init(rawValue: UInt8(flags & 3)) ?? .offence, outstanding: flags & 4 != 0, removing: removing,
                     line: removing ? removingLines[key] ?? 0 : 0)
    }

    mutating func insert(_ key: UInt64, _ info: AssetPlusDocument.IdInfo) -> Bool {
        let b = Self.bucket(key)
        let at = Self.position(key, in: buckets[b])
        if at < buckets[b].count, buckets[b][at] & ~0xF == key { return false }
        // Grow by an eighth, not Array's doubling: the buckets hold all of the table.
        if buckets[b].count == buckets[b].capacity {
            buckets[b].reserveCapacity(buckets[b].count + max(8, buckets[b].count / 8))
        }
        buckets[b].insert(Self.pack(key, info), at: at)
        if info.removing { removingLines[key] = info.line }
        count += 1
        return true
    }
}
