import CLibXML2

// libxml2's C callbacks. They cannot capture, so each recovers its `ParseSession` (or
// `ByteReader`) from the unretained pointer libxml2 hands back; the caller keeps the object
// alive for the whole parse with `withExtendedLifetime`.

@inline(__always)
private func session(_ pointer: UnsafeMutableRawPointer?) -> ParseSession? {
    pointer.map { Unmanaged<ParseSession>.fromOpaque($0).takeUnretainedValue() }
}

/// A SAX2 handler that forwards to a `ParseSession`. Allocated per pass, freed by the caller.
func makeSAXHandler() -> UnsafeMutablePointer<xmlSAXHandler> {
    let handler = UnsafeMutablePointer<xmlSAXHandler>.allocate(capacity: 1)
    handler.initialize(to: xmlSAXHandler())
    handler.pointee.initialized = XML_SAX2_MAGIC
    handler.pointee.startElementNs = { context, localName, _, uri, _, _, attributeCount, _, attributes in
        guard let session = session(context) else { return }
        let name = session.name(localName) ?? ""
        let namespace = session.name(uri)
        session.startElement(name, namespace: namespace, attributeCount: Int(attributeCount), attributes: attributes)
    }
    handler.pointee.endElementNs = { context, localName, _, _ in
        guard let session = session(context) else { return }
        session.endElement(session.name(localName) ?? "")
    }
    handler.pointee.characters = { context, bytes, count in
        guard let session = session(context), let bytes, count > 0 else { return }
        session.characters(bytes, count: Int(count))
    }
    handler.pointee.cdataBlock = handler.pointee.characters
    // Called as soon as `<!DOCTYPE name ...` is read, before its internal subset: the
    // declarations of a billion-laughs or XXE document are never even parsed.
    handler.pointee.internalSubset = { context, _, _, _ in
        session(context)?.doctype()
    }
    return handler
}

/// Receives libxml2's structured errors (parser and schema validity) for one session.
let sessionErrorHandler: xmlStructuredErrorFunc = { userData, error in
    guard let session = session(userData), let error else { return }
    session.record(UnsafePointer(error).pointee)
}

let byteReaderRead: xmlInputReadCallback = { context, buffer, length in
    guard let context, let buffer else { return -1 }
    let reader = Unmanaged<ByteReader>.fromOpaque(context).takeUnretainedValue()
    return reader.read(into: UnsafeMutableRawPointer(buffer), count: Int(length))
}

/// The reader is owned by Swift; libxml2's close only tells us it is done with it.
let byteReaderClose: xmlInputCloseCallback = { _ in 0 }
