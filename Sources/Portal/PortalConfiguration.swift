public import Access
public import Foundation

/// How the portal is reached: TLS, a proxy in front, the host name browsers use.
public struct PortalConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// PEM files; both or neither.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// A TLS-terminating proxy is in front: plain HTTP is allowed off loopback, and
    /// X-Forwarded-For is read, from `trustedProxies` only.
    public var behindProxy: Bool
    public var trustedProxies: Set<String>
    /// The Host header browsers send (name, or name:port). Other hosts are refused (DNS rebinding).
    public var publicHost: String?
    /// The longest request target accepted (path and query), in bytes.
    public var maxURILength: Int
    /// The largest form body accepted, in bytes.
    public var maxFormBytes: Int
    public var access: AccessSettings

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tlsCertificate: String? = nil, tlsKey: String? = nil,
        behindProxy: Bool = false, trustedProxies: Set<String> = ["127.0.0.1", "::1"], publicHost: String? = nil,
        maxURILength: Int = 4096, maxFormBytes: Int = 16 * 1024, access: AccessSettings = .init()
    ) {
        self.host = host
        self.port = port
        self.tlsCertificate = tlsCertificate
        self.tlsKey = tlsKey
        self.behindProxy = behindProxy
        self.trustedProxies = trustedProxies
        self.publicHost = publicHost
        self.maxURILength = maxURILength
        self.maxFormBytes = maxFormBytes
        self.access = access
    }

    /// Pages are served over HTTPS (here, or by the proxy): cookies are `Secure` and HSTS is sent.
    public var servesTLS: Bool { tlsCertificate != nil }

    /// Refuses a set-up that would send children's records in clear over a network.
    public func check() throws(AccessError) {
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw AccessError(code: "SERVE-TLS", message: "give both --tls-cert and --tls-key, or neither")
        }
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
        if !loopback && !servesTLS && !behindProxy {
            throw AccessError(
                code: "SERVE-PLAIN",
                message: "refusing to serve children's records over plain HTTP on \(host): give --tls-cert and --tls-key, or --behind-proxy when a TLS-terminating proxy is in front")
        }
        if !loopback && publicHost == nil {
            throw AccessError(code: "SERVE-HOST", message: "off loopback, say which host name browsers use with --public-host (Host headers are checked against it)")
        }
    }
}
