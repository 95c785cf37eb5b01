public import Foundation
import ZIPFoundation

/// A package's files, read into memory and checked against the layout and the limits.
public struct PackageContents: Sendable {
    /// Entry names in archive order (files and the `attachments/` folder entry).
    public var names: [String]
    /// Each file's bytes, by entry name.
    public var files: [String: Data]
}

/// Reads a transfer package's ZIP into memory: the first three checks of the contract
/// (UNREADABLE, UNSAFE_ENTRY, TOO_LARGE), in order. Nothing is ever written to a path taken
/// from the archive: every entry is inflated into a memory buffer with a running cap.
public struct PackageReader: Sendable {
    public var limits: PackageLimits

    /// The root names the layout allows, besides `attachments/<name>`.
    static let rootNames: Set<String> = ["manifest.xml", "manifest.sig", "Asset.XML", "AssetPlus.XML", "NOCO.xml"]
    static let attachmentsFolder = "attachments/"

    public init(limits: PackageLimits = .contractDefault) {
        self.limits = limits
    }

    /// Reads the package file, counting bytes as they are read (never trusting `stat`).
    /// Throws `PackageRejection` (TOO_LARGE) for a file over the limit; other read failures
    /// are thrown as `CocoaError`/POSIX errors for the caller to report.
    public func readFile(_ url: URL) throws -> Data {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var data = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            data.append(chunk)
            if Int64(data.count) > limits.maxPackageBytes {
                throw PackageRejection(.tooLarge, "The package is larger than the limit of \(limits.maxPackageBytes) bytes.")
            }
        }
        return data
    }

    /// The checks UNREADABLE, UNSAFE_ENTRY and TOO_LARGE on a package's bytes, in that order.
    public func read(_ package: Data) throws(PackageRejection) -> PackageContents {
        if Int64(package.count) > limits.maxPackageBytes {
            throw PackageRejection(.tooLarge, "The package is larger than the limit of \(limits.maxPackageBytes) bytes.")
        }
        let directory: ZipDirectory
        do {
            directory = try ZipDirectory(package)
        } catch {
            throw PackageRejection(.unreadable, "The package is not a readable ZIP file: \(error.message).")
        }
        for (index, entry) in directory.entries.enumerated() {
            if entry.encrypted {
                throw PackageRejection(.unreadable, "Entry \(index + 1) is encrypted; packages are never encrypted inside the ZIP.")
            }
            if entry.method != 0 && entry.method != 8 {
                throw PackageRejection(.unreadable, "Entry \(index + 1) uses compression method \(entry.method); only stored (0) and deflate (8) are supported.")
            }
        }
        let names = try checkLayout(directory.entries)
        var files: [String: Data] = [:]
        var total: Int64 = 0
        for (entry, name) in zip(directory.entries, names) where !entry.isDirectory {
            let bytes = try inflate(entry, name: name, package: package, total: &total)
            files[name] = bytes
        }
        return PackageContents(names: names, files: files)
    }

    /// UNSAFE_ENTRY: every name a plain relative path of the layout, no link, no duplicate,
    /// no folder but `attachments/`, and manifest.xml (when present) first.
    func checkLayout(_ entries: [ZipDirectory.Entry]) throws(PackageRejection) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        for (index, entry) in entries.enumerated() {
            let number = "Entry \(index + 1)"
            guard let name = entry.name, !name.isEmpty else {
                throw PackageRejection(.unsafeEntry, "\(number) has an empty name or one that is not valid UTF-8.")
            }
            if let problem = Self.pathProblem(name) {
                throw PackageRejection(.unsafeEntry, "\(number) \(problem).")
            }
            if entry.isSymlink {
                throw PackageRejection(.unsafeEntry, "\(number) is a symbolic link; a package holds plain files only.")
            }
            if entry.isOtherSpecial {
                throw PackageRejection(.unsafeEntry, "\(number) is a special file (device, pipe or socket); a package holds plain files only.")
            }
            guard seen.insert(name).inserted else {
                throw PackageRejection(.unsafeEntry, "\(number) repeats the name \(Self.safeName(name)); every name appears once.")
            }
            if entry.isDirectory {
                guard name == Self.attachmentsFolder else {
                    throw PackageRejection(.unsafeEntry, "\(number) is a folder other than attachments/.")
                }
            } else if !Self.rootNames.contains(name) && !Self.isAttachmentPath(name) {
                throw PackageRejection(.unsafeEntry, "\(number) is \(Self.safeName(name)), which the layout does not allow (manifest.xml, manifest.sig, the assessment, NOCO.xml and attachments/<name> only).")
            }
            names.append(name)
        }
        if let position = names.firstIndex(of: TransferManifest.fileName), position != 0 {
            throw PackageRejection(.unsafeEntry, "manifest.xml is entry \(position + 1); it must be the first entry.")
        }
        return names
    }

    /// Why a name is not a plain relative path, or nil.
    static func pathProblem(_ name: String) -> String? {
        if name.hasPrefix("/") { return "has an absolute path (it starts with /)" }
        if name.contains("\\") { return "contains a backslash" }
        let scalars = Array(name.unicodeScalars)
        if scalars.count >= 2, scalars[1] == ":", scalars[0].properties.isAlphabetic { return "starts with a drive letter" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "contains a control character" }
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." }) { return "contains a .. segment (a path out of the package)" }
        if segments.contains(where: { $0 == "." }) { return "contains a . segment" }
        if segments.dropLast().contains(where: \.isEmpty) { return "contains an empty path segment (//)" }
        return nil
    }

    /// `attachments/<name>`: one level, a plain name.
    static func isAttachmentPath(_ name: String) -> Bool {
        guard name.hasPrefix(attachmentsFolder) else { return false }
        let rest = name.dropFirst(attachmentsFolder.count)
        return !rest.isEmpty && !rest.contains("/") && rest != "." && rest != ".."
    }

    /// A name fit to print: layout names as they are, anything else withheld (an attacker's
    /// name could be long or carry terminal control sequences).
    static func safeName(_ name: String) -> String {
        let printable = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        return printable && name.count <= 100 ? name : "(a name not shown)"
    }

    /// TOO_LARGE, judged on bytes actually inflated; a damaged stream or CRC is UNREADABLE.
    private func inflate(_ entry: ZipDirectory.Entry, name: String, package: Data, total: inout Int64) throws(PackageRejection) -> Data {
        let label = Self.safeName(name)
        let compressed = package[(package.startIndex + entry.dataRange.lowerBound)..<(package.startIndex + entry.dataRange.upperBound)]
        let ratioCap = limits.maxRatio.multipliedReportingOverflow(by: max(Int64(compressed.count), 1))
        let entryCap = min(limits.maxEntryBytes, ratioCap.overflow ? Int64.max : ratioCap.partialValue)
        var output = Data()
        var runningTotal = total
        let limits = self.limits
        let consume: Consumer = { chunk in
            output.append(chunk)
            runningTotal += Int64(chunk.count)
            if Int64(output.count) > limits.maxEntryBytes {
                throw PackageRejection(.tooLarge, "\(label) inflates to more than the entry limit of \(limits.maxEntryBytes) bytes.")
            }
            if Int64(output.count) > entryCap {
                throw PackageRejection(.tooLarge, "\(label) inflates more than \(limits.maxRatio) times its compressed size (a ZIP bomb).")
            }
            if runningTotal > limits.maxTotalBytes {
                throw PackageRejection(.tooLarge, "The entries together inflate to more than the limit of \(limits.maxTotalBytes) bytes.")
            }
        }
        let crc: CRC32
        do {
            if entry.method == 0 {
                try consume(Data(compressed))
                crc = Data(compressed).crc32(checksum: 0)
            } else {
                // ZIPFoundation's Linux inflater sets avail_in to the buffer size whatever the
                // chunk's length, so every chunk is exactly `bufferSize` long (zero-padded);
                // asking past the entry's data means the stream never ended: damaged.
                let bufferSize = 64 * 1024
                var offset = compressed.startIndex
                crc = try Data.decompress(size: Int64(compressed.count), bufferSize: bufferSize, skipCRC32: false, provider: { _, _ in
                    guard offset < compressed.endIndex else { throw ZipDirectory.Unreadable(message: "a compressed stream ends early") }
                    let end = min(offset + bufferSize, compressed.endIndex)
                    var chunk = Data(compressed[offset..<end])
                    offset = end
                    if chunk.count < bufferSize { chunk.append(Data(count: bufferSize - chunk.count)) }
                    return chunk
                }, consumer: consume)
            }
        } catch let rejection as PackageRejection {
            throw rejection
        } catch {
            throw PackageRejection(.unreadable, "\(label) is damaged: its compressed data cannot be inflated.")
        }
        guard crc == entry.crc32 else {
            throw PackageRejection(.unreadable, "\(label) is damaged: its CRC-32 does not match the ZIP directory.")
        }
        total = runningTotal
        return output
    }
}
