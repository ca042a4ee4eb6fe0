#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads at most `buffer.count` bytes of `descriptor` at `offset` with `pread(2)`, retrying on
/// `EINTR` and short reads, without moving the descriptor's position: the one read loop of
/// ``RegularFile`` and ``POSIXFile``.
///
/// - Returns: The number of bytes read; fewer than asked only at the end of the file.
/// - Throws: What `failure` makes of the `errno` of a failed call.
func positionedRead<Failure: Error>(
    _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, failure: (Int32) -> Failure
) throws(Failure) -> Int {
    var done = 0
    while done < buffer.count {
        let count = pread(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset) + off_t(done))
        if count == 0 { break }
        if count < 0 {
            if errno == EINTR { continue }
            throw failure(errno)
        }
        done += count
    }
    return done
}
