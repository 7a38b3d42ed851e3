/// Bytes a response writer renders once and keeps in a ``RenderingSlot`` (a reason subject's
/// members, a quota's quoted name), in one or two parts.
///
/// They live in memory of the object's own and are read through pointers: the check path reads
/// them for every reason and every quota, and reading an array or a string out of a class retains
/// and releases its storage each time. Written once in `init`, freed in `deinit`, never changed
/// (which is why the class can be `@unchecked Sendable`).
final class RenderedBytes: @unchecked Sendable {
    let first: UnsafeBufferPointer<UInt8>
    let second: UnsafeBufferPointer<UInt8>
    private let storage: UnsafeMutableBufferPointer<UInt8>

    init(_ first: some Collection<UInt8>, _ second: some Collection<UInt8> = EmptyCollection()) {
        storage = .allocate(capacity: max(first.count + second.count, 1))
        let end = storage.initialize(fromContentsOf: first)
        _ = storage[end...].initialize(fromContentsOf: second)
        self.first = UnsafeBufferPointer(rebasing: storage[..<end])
        self.second = UnsafeBufferPointer(rebasing: storage[end..<(end + second.count)])
    }

    deinit { storage.deallocate() }
}
