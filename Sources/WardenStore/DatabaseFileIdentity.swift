import Foundation

/// Notices the database file disappearing from under the running process.
///
/// SQLite keeps writing to an open file after it was deleted or replaced: every commit succeeds,
/// into an inode no one can reach, and everything acknowledged from then on is lost at the next
/// restart. So the identity of the file at `path` (device and inode) is compared with the one
/// opened at start, and its link count checked. The store never reopens or recreates the file
/// itself: which copy is the truth is for an operator to decide.
public final class DatabaseFileIdentity: Sendable {
    public let path: String
    private let device: UInt64
    private let inode: UInt64
    /// Held open for the process's life so that `fstat` can count the opened file's links.
    private let descriptor: Int32

    public init(path: String) throws(StoreError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.open, "cannot open \(path) to watch it: \(String(cString: strerror(errno)))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw StoreError(.open, "cannot stat \(path): \(reason)")
        }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }

    deinit { close(descriptor) }

    /// What happened to the file, or nil while `path` still names the file opened at start.
    public func problem() -> String? {
        var opened = stat()
        if fstat(descriptor, &opened) == 0, opened.st_nlink == 0 {
            return "the database file \(path) was deleted while in use"
        }
        var current = stat()
        guard stat(path, &current) == 0 else {
            return "the database file \(path) is gone (\(String(cString: strerror(errno))))"
        }
        if UInt64(current.st_dev) != device || UInt64(current.st_ino) != inode {
            return "the database file \(path) was replaced by another file while in use"
        }
        return nil
    }
}
