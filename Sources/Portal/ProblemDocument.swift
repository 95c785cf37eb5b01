public import Foundation
public import Hummingbird
public import HTTPTypes
import CaseRecord
public import Findings
import NIOCore

/// A problem details document (RFC 9457, `application/problem+json`) with a stable code: how
/// the HTTP API answers every error, including the front door's own (404, 405, 414) on API paths.
/// Never carries a document value.
public struct ProblemDocument: Encodable, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String
    public var code: String
    public var requestId: String
    public var findings: [Finding]?

    public static let mediaType = "application/problem+json"

    public init(status: HTTPResponse.Status, code: String, title: String, detail: String?, requestId: String, findings: [Finding] = []) {
        self.type = "https://y2a.example/problems/\(code.lowercased())"
        self.title = title
        self.status = status.code
        self.detail = detail
        self.instance = "urn:y2a:request:\(requestId)"
        self.code = code
        self.requestId = requestId
        self.findings = findings.isEmpty ? nil : findings
    }

    /// The JSON, keys sorted.
    public var json: Data {
        (try? CanonicalJSON.encode(self)) ?? Data("{\"status\":\(status),\"code\":\"\(code)\"}".utf8)
    }

    /// The response: the document, its media type, `X-Request-Id` and `extra` headers.
    public func response(extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = Self.mediaType
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Request-Id")!] = requestId
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(data: json)))
    }

    /// The client's `X-Request-Id` when it is a plain token of up to 64 characters; else a new UUID.
    public static func requestId(_ request: Request) -> String {
        if let sent = request.headers[HTTPField.Name("X-Request-Id")!], (1...64).contains(sent.utf8.count),
            sent.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        {
            return sent
        }
        return UUID().uuidString.lowercased()
    }
}

extension PortalServer {
    /// Paths under this prefix are the HTTP API's: no session cookie, no form or CSRF token (a
    /// bearer token instead, checked by the API's gate), and errors as problem documents.
    public static let apiPrefix = "/api/"
}
