import CZlib

/// One gzip member (RFC 1952) compressed a piece at a time, for a response that is sent while it
/// is being rendered: memory stays at zlib's window and one piece instead of the whole body.
///
/// The `z_stream` lives at a fixed heap address because zlib keeps a pointer back to it in its
/// internal state (`deflateStateCheck` rejects a moved stream). Not `Sendable`: one owner feeds it,
/// in order; ``Gzip`` is the one-shot form.
public final class GzipStream {
    private let stream: UnsafeMutablePointer<z_stream>
    public private(set) var isFinished = false

    /// - Parameter level: 0 (store) … 9 (smallest), clamped; see ``Gzip/compress(_:level:)`` on
    ///   why large expositions use 1.
    public init(level: Int32) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, min(max(level, 0), 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed (\(status)): out of memory")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `input` and appends what zlib emits to `output` — possibly nothing, as deflate
    /// holds back data until it has a block. With `finish`, everything pending and the gzip trailer
    /// are written, and the stream takes no more input.
    /// - Precondition: not finished; `input` is under 4 GiB (zlib counts in 32 bits).
    public func compress(_ input: UnsafeBufferPointer<UInt8>, finish: Bool, into output: inout [UInt8]) {
        precondition(!isFinished, "gzip stream already finished")
        precondition(input.count <= Int(UInt32.max), "gzip piece too large")
        let flush = finish ? Z_FINISH : Z_NO_FLUSH
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = uInt(input.count)
        let outputChunk = 64 * 1024
        var status = Z_OK
        repeat {
            let start = output.count
            output.reserveCapacity(start + outputChunk)
            // Append into spare capacity: zlib writes straight into the output array.
            output.append(contentsOf: repeatElement(0, count: outputChunk))
            output.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress! + start
                stream.pointee.avail_out = uInt(outputChunk)
                status = deflate(stream, flush)
            }
            precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate failed (\(status))")
            output.removeLast(Int(stream.pointee.avail_out))
        } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0 || (finish && status != Z_STREAM_END)
        stream.pointee.next_in = nil
        isFinished = finish
    }
}
