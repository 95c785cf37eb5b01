public import Foundation

/// Hostile variants of the valid samples, built in memory: the shapes an attacker (or a fuzzer)
/// found, each named after what it does to the parser.
public enum HostileDocuments {
    /// A valid sample with one more attribute of `bytes` bytes on its root element.
    public static func withRootAttribute(_ sample: String, bytes: Int, name: String = "junk") throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(sample)))
        let start = try rootStartTagEnd(data)
        var attribute = Data(" \(name)=\"".utf8)
        attribute.append(Data(repeating: UInt8(ascii: "x"), count: bytes))
        attribute.append(UInt8(ascii: "\""))
        data.insert(contentsOf: attribute, at: start)
        return data
    }

    /// A valid sample with `inserted` placed right after its root start tag.
    public static func withContentAfterRoot(_ sample: String, _ inserted: Data) throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(sample)))
        let end = try rootStartTagEnd(data) + 1
        data.insert(contentsOf: inserted, at: end)
        return data
    }

    /// The offset of the `>` (or `/>`) closing the root start tag.
    static func rootStartTagEnd(_ data: Data) throws -> Int {
        let bytes = [UInt8](data)
        var index = 0
        // Skip the XML declaration, comments and processing instructions.
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] != UInt8(ascii: "?"), bytes[index + 1] != UInt8(ascii: "!") { break }
            index += 1
        }
        while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
        guard index < bytes.count else { throw CocoaError(.fileReadCorruptFile) }
        return bytes[index - 1] == UInt8(ascii: "/") ? index - 1 : index
    }
}
