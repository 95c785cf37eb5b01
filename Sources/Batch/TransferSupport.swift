import Gateway

/// Packages and receipts: not handled until the Transfers module is part of this build.
enum TransferSupport {
    static func make(context: RunContext, schemas: SchemaCatalog, processor: DocumentProcessor) -> (any TransferHandling)? {
        nil
    }
}
