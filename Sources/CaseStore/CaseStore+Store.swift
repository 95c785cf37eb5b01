/// The SQLite engine implements the whole store interface. Its methods are synchronous (GRDB
/// serialises them on the store's queue); they satisfy the interface's `async` requirements.
extension CaseStore: Store {
    public var location: String { path }

    public func close() async {}
}
