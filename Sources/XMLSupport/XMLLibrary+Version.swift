import CLibXML2

extension XMLLibrary {
    /// The libxml2 in use at run time, dotted (`2.9.14`): read from the loaded library, not the
    /// headers it was built against, since the package depends on the system's libxml2.
    public static var version: String {
        initialize()
        guard let text = __xmlParserVersion()?.pointee.map({ String(cString: $0) }) else { return "unknown" }
        // "20914", or "20914-GITv2.9.14-..." for a development build.
        guard let number = Int(text.prefix { $0.isASCII && $0.isNumber }) else { return text }
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }
}
