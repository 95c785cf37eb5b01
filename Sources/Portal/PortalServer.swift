public import Access
public import CaseStore
import BuildInfo
import CaseRecord
import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HTTPTypes
public import Logging
import NIOCore
import NIOSSL

/// The Y2A portal web server: sign-in, the case list, case pages, stored source documents,
/// user and organisation administration and the audit trail. Every route asks `Policy` first
/// (through `PortalContext.caller(may:)`), reads cases only through the caller's
/// `OrganisationScope`, and records what it did in the audit trail.
/// Adds to the portal's router before its own routes (see `PortalServer.router`).
public typealias RouterExtension = @Sendable (Router<PortalContext>) -> Void

public enum PortalServer {
    /// `/health`: `{"status":"ok"}` with the build (version, commit, build date, libxml2 in
    /// use), so a load balancer and an operator see which y2a a node runs. Nothing else.
    static let healthBody: [UInt8] = {
        var fields = BuildInfo.current.dictionary
        fields["status"] = "ok"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [UInt8]((try? encoder.encode(fields)) ?? Data(#"{"status":"ok"}"#.utf8)) + [0x0A]
    }()

    /// The router over a store: every route of the portal (the organisation walk test takes
    /// its list from here).
    /// `checker` validates uploads as `y2a validate` does; `uploads` keeps checked files until
    /// they are stored.
    /// `transfers` says where packages built in the browser go.
    /// `extensions` adds to the router first (middleware for every route, the HTTP API's routes).
    public static func router(
        store: any Store, access: AccessService, checker: DocumentChecker = DocumentChecker(), uploads: UploadShelf = .shared,
        transfers: PortalTransfers = .init(), extensions: RouterExtension = { _ in }
    ) -> Router<PortalContext> {
        let router = Router(context: PortalContext.self)
        extensions(router)
        addCaseRoutes(router, store: store, access: access)
        addTransferRoutes(router, store: store, access: access)
        addSendingRoutes(router, store: store, access: access, checker: checker, transfers: transfers)
        addUploadRoutes(router, store: store, access: access, checker: checker, shelf: uploads)
        addSignInRoutes(router, access: access)
        addAdminRoutes(router, access: access)
        addAuditRoutes(router, access: access)
        router.get("/health") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: healthBody)))
        }
        return router
    }

    /// The router behind the front door: what the application serves.
    public static func responder(
        store: any Store, access: AccessService, configuration: PortalConfiguration = .init(),
        checker: DocumentChecker = DocumentChecker(), uploads: UploadShelf = .shared, transfers: PortalTransfers = .init(),
        extensions: RouterExtension = { _ in }, logger: Logger = Logger(label: "y2a.portal")
    ) -> some HTTPResponder<PortalContext> {
        let router = router(store: store, access: access, checker: checker, uploads: uploads, transfers: transfers, extensions: extensions)
        let table = RouteTable()
        table.set(router.routes.map { ($0.method, $0.path.description) })
        return FrontDoor(inner: router.buildResponder(), configuration: configuration, access: access, routes: table, logger: logger)
    }

    /// The application, listening on `configuration.host:port` (port 0: any free port,
    /// reported through `onRunning`), over TLS 1.2+ when a certificate and key are given.
    public static func application(
        store: any Store, access: AccessService, configuration: PortalConfiguration = .init(),
        checker: DocumentChecker = DocumentChecker(), uploads: UploadShelf = .shared, transfers: PortalTransfers = .init(),
        extensions: RouterExtension = { _ in }, logger: Logger = Logger(label: "y2a.portal"),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        try configuration.check()
        let server: HTTPServerBuilder
        if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
            server = try .tls(.http1(), tlsConfiguration: try tlsConfiguration(certificate: certificate, key: key))
        } else {
            server = .http1()
        }
        return Application(
            responder: responder(
                store: store, access: access, configuration: configuration, checker: checker, uploads: uploads, transfers: transfers,
                extensions: extensions, logger: logger),
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "y2a"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// A server TLS configuration from PEM files: TLS 1.2 or later only.
    static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let privateKey: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw AccessError(code: "SERVE-TLS-CERT", message: "cannot read the certificate \(certificate) (a PEM file is expected)")
        }
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw AccessError(code: "SERVE-TLS-KEY", message: "cannot read the private key \(key) (a PEM file, not encrypted, is expected)")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        tls.minimumTLSVersion = .tlsv12
        return tls
    }
}
