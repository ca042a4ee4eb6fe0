/// Bits of `/proc/kpageflags` (include/uapi/linux/kernel-page-flags.h) used to tell huge pages.
enum KernelPageFlags {
    /// `KPF_COMPOUND_HEAD`.
    static let compoundHead: UInt64 = 1 << 15
    /// `KPF_HUGE` (hugetlbfs).
    static let huge: UInt64 = 1 << 17
    /// `KPF_THP`.
    static let transparentHuge: UInt64 = 1 << 22
}
