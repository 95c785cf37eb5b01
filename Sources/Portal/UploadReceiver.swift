import Access
import Foundation
import Hummingbird
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(descriptor)
    #else
    Darwin.close(descriptor)
    #endif
}

/// A file as it arrived in an upload: streamed to a private temporary file (0600, in a 0700
/// folder), never held whole in memory.
struct ReceivedFile: Sendable {
    /// The browser's file name, reduced to its last component and safe characters (shown to
    /// the uploader only, never written to the audit trail).
    var fileName: String
    var url: URL
    var bytes: Int64
}

/// Reads a `multipart/form-data` upload. The session's CSRF token must be the first part
/// (the upload form puts it first; browsers send fields in document order), so nothing is
/// written to disk for a forged or stale form. Each file is limited to `maxFileBytes` (the
/// CLI's `--max-file-size`), counted as it arrives; files past `maxFiles` are refused.
struct UploadReceiver {
    var folder: URL
    var maxFileBytes: Int64
    var maxFiles: Int
    /// Small fields (the token) are kept in memory up to this size.
    var maxFieldBytes = 1024

    func receive(_ body: RequestBody, contentType: String, csrf expected: String) async throws -> [ReceivedFile] {
        guard let boundary = MultipartParser.boundary(contentType: contentType) else {
            throw PortalError.badRequest("The upload was not sent as a file upload form.")
        }
        var parser = MultipartParser(boundary: boundary)
        var files: [ReceivedFile] = []
        var current: OpenFile?
        var field: (name: String, value: [UInt8])?
        var tokenChecked = false
        do {
            for try await buffer in body {
                let events = try buffer.withUnsafeReadableBytes { try parser.feed($0) }
                for event in events {
                    switch event {
                    case .partStart(let head):
                        if head.fileName == nil {
                            field = (head.name, [])
                        } else {
                            guard tokenChecked else { throw PortalError.staleForm }
                            guard files.count < maxFiles else {
                                throw PortalError.tooLarge("At most \(maxFiles) files can be checked at once.")
                            }
                            current = try OpenFile(in: folder, name: Self.safeName(head.fileName ?? ""))
                        }
                    case .data(let bytes):
                        if var open = current {
                            guard open.bytes + Int64(bytes.count) <= maxFileBytes else {
                                throw PortalError.tooLarge("A file is larger than this portal accepts (\(maxFileBytes) bytes).")
                            }
                            try open.write(bytes)
                            current = open
                        } else if field != nil {
                            guard field!.value.count + bytes.count <= maxFieldBytes else { throw PortalError.badRequest("A form field is too long.") }
                            field!.value += bytes
                        }
                    case .partEnd:
                        if let open = current {
                            try open.close()
                            files.append(ReceivedFile(fileName: open.name, url: open.url, bytes: open.bytes))
                            current = nil
                        } else if let (name, value) = field {
                            if !tokenChecked {
                                // The first field must be the token, and it must match.
                                guard name == "csrf", Tokens.matches(String(decoding: value, as: UTF8.self), expected) else { throw PortalError.staleForm }
                                tokenChecked = true
                            }
                            field = nil
                        }
                    }
                }
                if parser.isFinished { break }
            }
            guard parser.isFinished else { throw PortalError.badRequest("The upload ended before its last part.") }
            guard tokenChecked else { throw PortalError.staleForm }
            guard !files.isEmpty else { throw PortalError.badRequest("Choose at least one file to check.") }
            return files
        } catch {
            current?.discard()
            for file in files { try? FileManager.default.removeItem(at: file.url) }
            if error is MultipartParser.Malformed { throw PortalError.badRequest("The upload could not be read as a form.") }
            throw error
        }
    }

    /// The last path component, letters, digits and `.-_` only, at most 100 characters.
    static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let safe = String(last.filter { ($0.isLetter || $0.isNumber || ".-_".contains($0)) && $0.isASCII }.prefix(100))
        return safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "upload.xml" : safe
    }
}

/// A temporary file being written: created 0600 with O_EXCL (never an existing file or link).
private struct OpenFile {
    let name: String
    let url: URL
    let descriptor: Int32
    var bytes: Int64 = 0

    init(in folder: URL, name: String) throws {
        self.name = name
        url = folder.appendingPathComponent(UUID().uuidString + ".upload")
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw UploadStorageError(message: "cannot create a temporary file for the upload (errno \(errno))") }
    }

    mutating func write(_ chunk: [UInt8]) throws {
        try chunk.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw UploadStorageError(message: "cannot write the upload to its temporary file (errno \(errno))")
                }
                offset += written
            }
        }
        bytes += Int64(chunk.count)
    }

    func close() throws {
        guard systemClose(descriptor) == 0 else { throw UploadStorageError(message: "cannot close the upload's temporary file (errno \(errno))") }
    }

    func discard() {
        _ = systemClose(descriptor)
        try? FileManager.default.removeItem(at: url)
    }
}

/// The server could not keep an upload (disk full, folder gone): thrown, shown as a 500 page.
struct UploadStorageError: Error, CustomStringConvertible {
    var message: String
    var description: String { "UPLOAD-STORAGE: \(message)" }
}
