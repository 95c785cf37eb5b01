import Crypto
public import Foundation
import HummingbirdOTP

/// TOTP second factor (RFC 6238 through hummingbird-auth's HummingbirdOTP): 6 digits, 30 s.
public enum SecondFactor {
    /// A new shared secret: 32 characters drawn uniformly from letters and digits (~190 bits).
    /// HummingbirdOTP keys the HMAC with the secret's UTF-8 bytes; authenticator apps are given
    /// their base32 form (`authenticatorURL`).
    public static func newSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The `otpauth://` URL an authenticator app takes (as text or a QR code).
    public static func authenticatorURL(secret: String, account: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: account, issuer: "Y2A Gateway")
    }

    /// The base32 secret an authenticator app takes when typed in.
    public static func base32Secret(_ secret: String) -> String {
        let url = authenticatorURL(secret: secret, account: "x")
        guard let range = url.range(of: "secret=") else { return "" }
        return String(url[range.upperBound...].prefix { $0 != "&" })
    }

    /// The current code (for tests and the enrolment check).
    public static func code(secret: String, at date: Date = Date()) -> String {
        let value = TOTP(secret: secret).compute(date: date)
        let digits = String(value)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// True when `code` is the code of now or of the 30 s step either side (clock drift).
    public static func verify(_ code: String, secret: String, at date: Date = Date()) -> Bool {
        let typed = code.filter { !$0.isWhitespace }
        guard typed.count == 6, typed.allSatisfy(\.isASCII), typed.allSatisfy(\.isNumber) else { return false }
        var match = false
        for step in [-30.0, 0, 30] {
            // Compare every candidate (no early exit).
            let expected = Self.code(secret: secret, at: date.addingTimeInterval(step))
            match = constantTimeEqual(expected, typed) || match
        }
        return match
    }
}

/// Compares two strings in time that depends only on their length.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}

/// Random tokens and their hashes.
public enum Tokens {
    /// 32 random bytes, base64url without padding.
    public static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Hex SHA-256: what the store keeps of a session id.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Constant-time comparison of a presented token with the expected one.
    public static func matches(_ presented: String, _ expected: String) -> Bool {
        constantTimeEqual(presented, expected)
    }
}
