/// A NOCO that cannot be made: the case record or the request lacks something the contract
/// requires and no Gap can stand for. Names fields, never their values.
public struct NOCOError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
