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
    utf8String(UnsafeBufferPointer(start: start, count: end - start))
}

/// UTF-8 bytes (valid: libxml2 has already converted and checked them) as a `String`, through
/// the standard library's fast contiguous path rather than the generic decoder.
@inline(__always)
func utf8String(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: bytes.count) { buffer in
        _ = buffer.initialize(fromContentsOf: bytes)
        return bytes.count
    }
}

/// An attribute value as the document means it. Without entity substitution (never turned on
/// here), libxml2 2.9 hands SAX2 every `&amp;` and `&#38;` of an attribute as the five
/// characters `&#38;`, for a tree builder to re-parse; every other `&` has been resolved, so
/// each `&` left in the value starts `&#38;`, and turning those back into `&` is exact.
@inline(__always)
func attributeValue(from start: UnsafePointer<xmlChar>, to end: UnsafePointer<xmlChar>) -> String {
    let raw = string(from: start, to: end)
    return raw.contains("&") ? raw.replacing("&#38;", with: "&") : raw
}

