import CaseRecord
public import Foundation
import Gateway
public import NOCO

/// How the portal sends and receives transfer packages: where built packages are kept, where a
/// package for an organisation that is not on this hub is delivered, the organisations' keys,
/// and the NOCO.html template.
public struct PortalTransfers: Sendable {
    /// Every package built in the browser is written here first, as `y2a transfer export --out`
    /// does (so `y2a transfer send` can deliver it again). Nil: a temporary folder of the process.
    public var outbox: URL?
    /// The drop folder for recipients not on this hub, as `y2a transfer send --to-folder`.
    /// Nil: only organisations of the hub can be chosen.
    public var dropFolder: URL?
    /// A folder of `<CODE>.key` (an organisation's Ed25519 private key: its packages are signed)
    /// and `<CODE>.pub` (the trust store the hub's importer checks signatures against).
    public var keys: URL?
    /// The hub's importer rejects unsigned packages.
    public var requireSignature: Bool
    /// NOCO.html as the receiver sees it (nil: `NOCOTemplate.installed()`).
    public var template: NOCOTemplate?

    public init(outbox: URL? = nil, dropFolder: URL? = nil, keys: URL? = nil, requireSignature: Bool = false, template: NOCOTemplate? = nil) {
        self.outbox = outbox
        self.dropFolder = dropFolder
        self.keys = keys
        self.requireSignature = requireSignature
        self.template = template
    }

    func nocoTemplate() throws -> NOCOTemplate {
        try template ?? NOCOTemplate.installed()
    }

    /// The folder built packages go to (created 0700 when missing).
    func outboxFolder() throws -> URL {
        let folder = outbox ?? FileManager.default.temporaryDirectory.appendingPathComponent("y2a-portal-outbox-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }

    /// The organisation's signing key file, when one is configured.
    func signingKeyFile(_ organisation: String) -> URL? {
        guard let keys, NOCOGenerator.isOrganisationCode(organisation) else { return nil }
        let file = keys.appendingPathComponent("\(organisation).key")
        return FileManager.default.fileExists(atPath: file.path) ? file : nil
    }
}
