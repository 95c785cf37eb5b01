public import Findings
public import Foundation
public import HTTPTypes
import OpenAPIRuntime
public import Portal
import Hummingbird

/// An error the API answers with: a problem details document (RFC 9457,
/// `application/problem+json`) with a stable code. Never carries a document value.
public struct APIProblem: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var title: String
    public var detail: String?
    public var findings: [Finding]
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, title: String, detail: String? = nil, findings: [Finding] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.findings = findings
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(detail ?? title)" }

    /// The problem document for the request `requestId`.
    public func document(requestId: String) -> ProblemDocument {
        ProblemDocument(status: status, code: code, title: title, detail: detail, requestId: requestId, findings: findings)
    }

    /// The response, with the problem's own headers (`Retry-After`, `WWW-Authenticate`).
    func response(requestId: String) -> Response {
        document(requestId: requestId).response(extra: headers)
    }

    // MARK: The problems the API answers with

    static let missingToken = APIProblem(
        .unauthorized, code: "API-AUTH-MISSING", title: "Authentication required",
        detail: "Send an API token of your organisation as `Authorization: Bearer y2a_...` (made with `y2a tokens add`).",
        headers: [.wwwAuthenticate: "Bearer realm=\"y2a\""])
    static let unknownToken = APIProblem(
        .unauthorized, code: "API-AUTH-UNKNOWN", title: "Unknown token",
        detail: "The token is not one this gateway issued; ask your organisation's administrator for a token.",
        headers: [.wwwAuthenticate: "Bearer realm=\"y2a\", error=\"invalid_token\""])
    static let revokedToken = APIProblem(
        .forbidden, code: "API-AUTH-REVOKED", title: "Token revoked",
        detail: "This token was revoked; ask your organisation's administrator for a new one.")
    static let expiredToken = APIProblem(
        .forbidden, code: "API-AUTH-EXPIRED", title: "Token expired",
        detail: "This token has expired; ask your organisation's administrator for a new one.")
    static let notFound = APIProblem(
        .notFound, code: "API-NOT-FOUND", title: "Not found",
        detail: "Nothing with this id is held for your organisation.")
    static func forbidden(_ what: String) -> APIProblem {
        APIProblem(.forbidden, code: "API-FORBIDDEN", title: "Not allowed", detail: "This token may not \(what).")
    }
    static func tooLarge(_ limit: Int64) -> APIProblem {
        APIProblem(.contentTooLarge, code: "API-TOO-LARGE", title: "Body too large", detail: "The body is larger than \(limit) bytes, the limit for this endpoint.")
    }
    static func unsupportedType(_ expected: String) -> APIProblem {
        APIProblem(.unsupportedMediaType, code: "API-MEDIA-TYPE", title: "Unsupported media type", detail: "Send the body as Content-Type: \(expected).")
    }
    static let emptyBody = APIProblem(.badRequest, code: "API-EMPTY-BODY", title: "Empty body", detail: "The request has no body; send the document.")
    static func rateLimited(retryAfter: Int) -> APIProblem {
        APIProblem(
            .tooManyRequests, code: "API-RATE-LIMIT", title: "Too many requests",
            detail: "This token sent more requests than its rate allows; retry after \(retryAfter) s.",
            headers: [.retryAfter: String(retryAfter)])
    }
    static let idempotencyMismatch = APIProblem(
        .unprocessableContent, code: "API-IDEMPOTENCY-MISMATCH", title: "Idempotency key reused",
        detail: "This Idempotency-Key was used before with another request; use a new key for a new request.")
    static let badIdempotencyKey = APIProblem(
        .badRequest, code: "API-IDEMPOTENCY-KEY", title: "Bad idempotency key",
        detail: "An Idempotency-Key is 1 to 200 printable ASCII characters.")
    static func badRequest(_ detail: String) -> APIProblem {
        APIProblem(.badRequest, code: "API-BAD-REQUEST", title: "Bad request", detail: detail)
    }
    static let internalError = APIProblem(
        .internalServerError, code: "API-INTERNAL", title: "Internal error",
        detail: "The gateway could not answer; the request id is in its log.")
    static let unavailable = APIProblem(
        .serviceUnavailable, code: "API-STORE", title: "Store unavailable",
        detail: "The store could not be used (locked, full or unreadable); try again later.")
    static func invalid(_ findings: [Finding], moreFindings: Int) -> APIProblem {
        let errors = findings.filter { $0.severity == .error }.count
        return APIProblem(
            .unprocessableContent, code: "API-INVALID-DOCUMENT", title: "Invalid document",
            detail: "The document is not valid (\(errors) error\(errors == 1 ? "" : "s") listed\(moreFindings > 0 ? ", \(moreFindings) more not listed" : "")); nothing was converted.",
            findings: findings)
    }
    static func refused(_ code: String, _ detail: String) -> APIProblem {
        APIProblem(.unprocessableContent, code: code, title: "Refused", detail: detail)
    }

    /// The problem for an error thrown below the front door.
    static func from(_ error: any Error) -> APIProblem {
        if let problem = error as? APIProblem { return problem }
        if let server = error as? ServerError {
            if let problem = server.underlyingError as? APIProblem { return problem }
            if server.httpStatus == .unsupportedMediaType { return unsupportedType("the type the endpoint names") }
            if server.httpStatus.kind == .clientError {
                return APIProblem(server.httpStatus, code: "API-BAD-REQUEST", title: "Bad request", detail: "The request does not match the API (docs/openapi.yaml).")
            }
        }
        return internalError
    }
}
