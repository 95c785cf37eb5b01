import Access
import CaseStore
import Crypto
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import OpenAPIRuntime
import Portal
import Synchronization

/// What each endpoint takes as its body: the media type and the most bytes (the CLI's limits).
struct BodyRule: Sendable {
    var mediaType: String
    var maxBytes: Int64
}

/// Everything every API call passes through, in one place, before the generated handler: the
/// request id, the bearer token (401 missing or unknown, 403 revoked or expired), the token's
/// rate (429 with Retry-After), the body's media type (415) and size (413, counted while it is
/// streamed to a private file, never buffered whole), the `Idempotency-Key`; after it: problem
/// details for every error, the audit row (who = the token's name and organisation), the log line.
struct APIGate: RouterMiddleware {
    typealias Context = PortalContext

    let tokens: APITokens
    let store: any APITokenStore
    let limiter: RateLimiter
    let bodies: @Sendable (String) -> BodyRule?
    let spool: URL
    let logger: Logger
    private let kept = Counter()

    init(tokens: APITokens, store: any APITokenStore, limiter: RateLimiter, bodies: @escaping @Sendable (String) -> BodyRule?, spool: URL, logger: Logger) {
        self.tokens = tokens
        self.store = store
        self.limiter = limiter
        self.bodies = bodies
        self.spool = spool
        self.logger = logger
    }

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        let requestId = ProblemDocument.requestId(request)
        let route = context.endpointPath ?? "unknown"
        var call: APICall?
        var caller: Caller?
        var response: Response
        do {
            response = try await admit(request, context: context, requestId: requestId, call: &call, caller: &caller, next: next)
        } catch {
            let problem = APIProblem.from(error)
            if problem.status == .internalServerError {
                logger.error("api: internal error", metadata: ["request-id": "\(requestId)", "route": "\(route)", "error": "\(String(describing: type(of: error)))"])
            }
            response = problem.response(requestId: requestId)
        }
        if let body = call?.body { try? FileManager.default.removeItem(at: body) }
        response.headers[.requestId] = requestId
        let status = response.status.code
        let who = caller ?? Caller(who: "unknown", accountId: nil, organisation: "-", roles: [], address: context.clientAddress, requestId: requestId)
        let outcome: AuditOutcome = switch status {
        case 200..<400: .ok
        case 401, 403, 429: .denied
        case 404: .notFound
        default: .failed
        }
        let subject = call?.touchedSubject
        do {
            try await tokens.audit.append(AuditEvent(
                who, .apiCall, outcome, caseId: subject?.caseId, transferId: subject?.transferId,
                detail: "\(request.method.rawValue) \(route) \(status)" + (subject?.detail.map { ", \($0)" } ?? "")))
        } catch {
            logger.error("api: the audit trail could not be written", metadata: ["request-id": "\(requestId)"])
        }
        logger.info("api", metadata: [
            "request-id": "\(requestId)", "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status)",
            "organisation": "\(who.organisation)", "token": "\(who.who)",
        ])
        return response
    }

    private func admit(
        _ request: Request, context: PortalContext, requestId: String, call: inout APICall?, caller: inout Caller?,
        next: (Request, PortalContext) async throws -> Response
    ) async throws -> Response {
        guard let authorization = request.headers[.authorization] else { throw APIProblem.missingToken }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIProblem.missingToken }
        let tokenId: Int64
        switch try await tokens.check(bearer: String(parts[1]).trimmingCharacters(in: .whitespaces), address: context.clientAddress, requestId: requestId) {
        case .unknown:
            throw APIProblem.unknownToken
        case .revoked(let name, let organisation):
            caller = Caller(who: "token:" + name, accountId: nil, organisation: organisation, roles: [], address: context.clientAddress, requestId: requestId)
            throw APIProblem.revokedToken
        case .expired(let name, let organisation):
            caller = Caller(who: "token:" + name, accountId: nil, organisation: organisation, roles: [], address: context.clientAddress, requestId: requestId)
            throw APIProblem.expiredToken
        case .valid(let who, let id):
            caller = who
            tokenId = id
        }
        if let wait = limiter.take(tokenId) { throw APIProblem.rateLimited(retryAfter: wait) }
        guard let who = caller else { throw APIProblem.internalError }

        var request = request
        var idempotency: (key: String, hash: String)?
        var body: URL?
        if request.method == .post, let rule = bodies(context.endpointPath ?? "") {
            let sent = request.headers[.contentType].map { $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "" }
            guard sent == rule.mediaType else { throw APIProblem.unsupportedType(rule.mediaType) }
            if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > rule.maxBytes { throw APIProblem.tooLarge(rule.maxBytes) }
            let key = request.headers[.idempotencyKey]
            if let key, !((1...200).contains(key.utf8.count) && key.utf8.allSatisfy({ (0x21...0x7E).contains($0) })) {
                throw APIProblem.badIdempotencyKey
            }
            let spooled = try await spoolBody(request, limit: rule.maxBytes, path: request.uri.path)
            body = spooled.file
            call = APICall(caller: who, tokenId: tokenId, body: spooled.file)
            guard spooled.bytes > 0 else { throw APIProblem.emptyBody }
            request.body = .init(buffer: ByteBuffer())
            if let key {
                if let answer = try await store.idempotentAnswer(tokenId: tokenId, key: key) {
                    guard answer.requestHash == spooled.sha256 else { throw APIProblem.idempotencyMismatch }
                    return Response(
                        status: .init(code: answer.status), headers: [.contentType: answer.contentType, .idempotentReplayed: "true"],
                        body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
                }
                idempotency = (key, spooled.sha256)
            }
        }
        let admitted = call ?? APICall(caller: who, tokenId: tokenId, body: body)
        call = admitted
        var response = try await APICall.$current.withValue(admitted) { try await next(request, context) }
        if response.status.code >= 400, response.headers[.contentType] != ProblemDocument.mediaType {
            // The generated code's own 4xx (a parameter that does not fit the document).
            throw APIProblem.from(ServerError.status(response.status))
        }
        if let idempotency, response.status.code < 500 {
            let bytes = try await Self.collect(response.body)
            try await store.keepIdempotentAnswer(
                tokenId: tokenId, key: idempotency.key,
                IdempotentAnswer(
                    requestHash: idempotency.hash, status: response.status.code, contentType: response.headers[.contentType] ?? "application/octet-stream",
                    body: bytes, createdAt: AuditClock.format(Date())))
            response.body = .init(byteBuffer: ByteBuffer(bytes: bytes))
            // Answers are kept for a day: now and then, forget older ones.
            if kept.value.wrappingAdd(1, ordering: .relaxed).newValue % 100 == 1 {
                try? await store.forgetIdempotentAnswers(before: AuditClock.format(Date().addingTimeInterval(-86_400)))
            }
        }
        return response
    }

    /// Streams the body to a new 0600 file, counting (413 past `limit`) and hashing the method,
    /// path and bytes (for the idempotency key).
    private func spoolBody(_ request: Request, limit: Int64, path: String) async throws -> (file: URL, bytes: Int64, sha256: String) {
        let file = spool.appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: file.path) else {
            throw APIProblem.internalError
        }
        var hash = SHA256()
        hash.update(data: Data("\(request.method.rawValue) \(path)\n".utf8))
        var count: Int64 = 0
        do {
            defer { try? handle.close() }
            for try await buffer in request.body {
                count += Int64(buffer.readableBytes)
                guard count <= limit else { throw APIProblem.tooLarge(limit) }
                buffer.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
                try handle.write(contentsOf: buffer.readableBytesView)
            }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        return (file, count, hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    /// A response body's bytes (answers are small: findings, a receipt, a list).
    static func collect(_ body: ResponseBody) async throws -> Data {
        var writer = CollectingWriter()
        try await body.write(writer)
        return writer.box.data
    }
}

/// A count shared by the copies of the gate.
private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

/// Collects what a response body writes.
private struct CollectingWriter: ResponseBodyWriter {
    final class Box: @unchecked Sendable { var data = Data() }
    let box = Box()

    mutating func write(_ buffer: ByteBuffer) async throws {
        box.data.append(contentsOf: buffer.readableBytesView)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

extension ServerError {
    /// A stand-in for an error answer that arrived without a problem document.
    static func status(_ status: HTTPResponse.Status) -> any Error {
        switch status {
        case .unsupportedMediaType: APIProblem.unsupportedType("the type the endpoint names")
        case .notFound: APIProblem.notFound
        default: APIProblem(status, code: status.code < 500 ? "API-BAD-REQUEST" : "API-INTERNAL", title: status.reasonPhrase)
        }
    }
}

extension HTTPField.Name {
    static let requestId = Self("X-Request-Id")!
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
}
