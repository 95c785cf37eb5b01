public import Access
import BundledResources
public import CaseStore
public import Foundation
public import Hummingbird
import HTTPTypes
public import Logging
import NIOCore
import OpenAPIHummingbird
public import Portal
import Transfers
import XMLSupport

/// How the API answers: its rate per token, and where request bodies are spooled.
public struct APISettings: Sendable {
    /// Requests a token may make a minute, on average, and at once.
    public var requestsPerMinute: Int
    public var burst: Int
    /// Where the private folder of spooled request bodies is made.
    public var spoolParent: URL

    public init(requestsPerMinute: Int = 600, burst: Int = 60, spoolParent: URL = FileManager.default.temporaryDirectory) {
        self.requestsPerMinute = requestsPerMinute
        self.burst = burst
        self.spoolParent = spoolParent
    }
}

/// The HTTP API of `y2a serve` (`/api/v1`, described by `/api/v1/openapi.yaml`), with the
/// operations endpoints beside it: `/ready` (the store answers) and `/metrics` (Prometheus).
public enum APIServer {
    /// The document the server is generated from, as served.
    public static var openAPIDocument: Data? { BundledResources.contents(of: "Sources/API/openapi.yaml") }

    /// Adds the API to the portal's router (`PortalServer.router(extensions:)`): metrics for
    /// every route, `/ready`, `/metrics`, `/api/v1/openapi.yaml`, and the generated operations
    /// behind the gate.
    public static func extensions(
        store: any Store, checker: DocumentChecker, transfers: PortalTransfers, settings: APISettings = .init(),
        metrics: APIMetrics = APIMetrics(), logger: Logger = Logger(label: "y2a.api")
    ) throws -> RouterExtension {
        let spool = settings.spoolParent.appendingPathComponent("y2a-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let documentLimit = checker.maxFileBytes
        let packageLimit = PackageLimits.contractDefault.maxPackageBytes
        let receiptLimit = TransferDocumentReader.limits.maxDocumentBytes
        let bodies: @Sendable (String) -> BodyRule? = { route in
            switch route {
            case "/api/v1/validate", "/api/v1/convert": BodyRule(mediaType: "application/xml", maxBytes: documentLimit)
            case "/api/v1/packages": BodyRule(mediaType: "application/zip", maxBytes: packageLimit)
            case "/api/v1/receipts": BodyRule(mediaType: "application/xml", maxBytes: receiptLimit)
            default: nil
            }
        }
        let gate = APIGate(
            tokens: APITokens(store: store), store: store, limiter: RateLimiter(perMinute: settings.requestsPerMinute, burst: settings.burst),
            bodies: bodies, spool: spool, logger: logger)
        let handler = APIHandler(store: store, checker: checker, transfers: transfers, metrics: metrics)
        return { router in
            router.add(middleware: MetricsMiddleware(metrics: metrics))
            router.get("/ready") { _, _ -> Response in
                do {
                    _ = try await store.organisations()
                    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ready\"}\n")))
                } catch {
                    logger.error("ready: the store does not answer", metadata: ["error": "\((error as? StoreError)?.code ?? "unknown")"])
                    return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"store unavailable\"}\n")))
                }
            }
            router.get("/metrics") { _, _ -> Response in
                if let runs = try? await store.batchRunCounts() { metrics.batchRuns(runs) }
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
            }
            router.get("/api/v1/openapi.yaml") { _, _ -> Response in
                guard let document = openAPIDocument else {
                    return ProblemDocument(status: .notFound, code: "API-NOT-FOUND", title: "Not found", detail: "This build has no OpenAPI document; see docs/openapi.yaml.", requestId: UUID().uuidString.lowercased()).response()
                }
                return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(data: document)))
            }
            let api = router.group("api/v1").add(middleware: gate)
            // The generated registration cannot fail for this document's paths.
            try? handler.registerHandlers(on: api, serverURL: URL(string: "/")!)
        }
    }
}

/// Requests by route template, method and status, and their latency, for every route of the
/// portal and the API (route templates only: never an id or a name).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = PortalContext
    let metrics: APIMetrics

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let route = context.endpointPath ?? "unmatched"
        do {
            let response = try await next(request, context)
            metrics.request(route: route, method: request.method.rawValue, status: response.status.code, duration: ContinuousClock.now - started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(route: route, method: request.method.rawValue, status: status, duration: ContinuousClock.now - started)
            throw error
        }
    }
}
