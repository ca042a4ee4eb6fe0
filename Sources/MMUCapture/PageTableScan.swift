#if canImport(Glibc)
import Glibc
#endif
import MMUCore

/// Where the page tables of a process map 2 MiB pages, from the `PAGEMAP_SCAN` ioctl of
/// `/proc/PID/pagemap` (Linux 6.7+, include/uapi/linux/fs.h): its `PAGE_IS_HUGE` category is set
/// for a PMD entry (a transparent huge page mapped whole) and for hugetlb pages, and not for a
/// huge page the kernel maps with 4 KiB entries (split at the PMD level).
enum PageTableScan {
    /// `_IOWR('f', 16, struct pm_scan_arg)`, the argument being 96 bytes.
    static let request: UInt = 0xC060_6610
    /// `PAGE_IS_HUGE`.
    static let isHuge: UInt64 = 1 << 6
    /// Regions asked for per call.
    static let regionsPerCall = 1024

    /// The page ranges mapped by huge entries below `endPage`, sorted; `nil` when the kernel has
    /// no `PAGEMAP_SCAN` (`ENOTTY`, or `EINVAL` from a kernel that does not know the arguments).
    ///
    /// - Throws: ``POSIXFileError`` for another failure (`ESRCH` when the process is gone).
    static func hugeRanges(_ pagemap: POSIXFile, below endPage: UInt64) throws(POSIXFileError) -> [Range<UInt64>]? {
        var ranges: [Range<UInt64>] = []
        var cursor: UInt64 = 0
        let end = endPage << PageSize.minimumShift
        var regions = [UInt64](repeating: 0, count: 3 * regionsPerCall)
        while cursor < end {
            var argument = [UInt64](repeating: 0, count: 12)
            argument[0] = 96
            argument[2] = cursor
            argument[3] = end
            argument[6] = UInt64(regionsPerCall)
            argument[10] = isHuge
            argument[11] = isHuge
            let found = regions.withUnsafeMutableBufferPointer { vector in
                argument[5] = UInt64(UInt(bitPattern: vector.baseAddress))
                return argument.withUnsafeMutableBytes { bytes in
                    Result { () throws(POSIXFileError) -> Int32 in try pagemap.control(request, bytes.baseAddress!) }
                }
            }
            let count: Int32
            do {
                count = try found.get()
            } catch where error.code == ENOTTY || error.code == EINVAL {
                return nil
            }
            for index in 0..<Int(count) {
                let range = (regions[3 * index] >> PageSize.minimumShift)..<(regions[3 * index + 1] >> PageSize.minimumShift)
                if let last = ranges.last, last.upperBound == range.lowerBound {
                    ranges[ranges.count - 1] = last.lowerBound..<range.upperBound
                } else {
                    ranges.append(range)
                }
            }
            guard argument[4] > cursor else { break }
            cursor = argument[4]
        }
        return ranges
    }
}
