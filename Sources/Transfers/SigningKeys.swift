public import Crypto
public import Foundation

/// Ed25519 keys for signing manifests: raw keys, base64, one line.
public enum SigningKeys {
    /// A new key pair as file contents: the private key (keep it 0600) and `<CODE>.pub`.
    public static func generate() -> (privateKey: Data, publicKey: Data) {
        let key = Curve25519.Signing.PrivateKey()
        return (Data((key.rawRepresentation.base64EncodedString() + "\n").utf8),
                Data((key.publicKey.rawRepresentation.base64EncodedString() + "\n").utf8))
    }

    /// Reads a private key file written by `generate`.
    public static func privateKey(from contents: Data) throws -> Curve25519.Signing.PrivateKey {
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text) else {
            throw TransferRefusal(message: "the key file is not a base64 Ed25519 private key (make one with `y2a transfer keygen`)")
        }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }
}
