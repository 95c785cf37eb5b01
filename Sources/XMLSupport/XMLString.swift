import CLibXML2

/// The one place where libxml2's `xmlChar *` becomes a Swift `String`.
@inline(__always)
func string(_ pointer: UnsafePointer<xmlChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

/// A `xmlChar` range `[start, end)` (attribute values in SAX2) as a `String`.
@inline(__always)
func string(from start: UnsafePointer<xmlChar>, to end: UnsafePointer<xmlChar>) -> String {
    String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
}
