extension Architecture {
    /// The entries of the catalog (``Architecture/all``), one case each: the value other
    /// modules switch over to join their per-format data to an architecture, so that a format
    /// added here and not there fails to compile instead of failing a name lookup at run time.
    package enum Identifier: Hashable, Sendable, CaseIterable {
        /// ``Architecture/x86_64FourLevel``.
        case x86_64FourLevel
        /// ``Architecture/x86_64FiveLevel``.
        case x86_64FiveLevel
        /// ``Architecture/i386``.
        case i386
        /// ``Architecture/i386PAE``.
        case i386PAE
        /// ``Architecture/aarch64FourK48``.
        case aarch64FourK48
        /// ``Architecture/aarch64FourK39``.
        case aarch64FourK39
        /// ``Architecture/riscvSv39``.
        case riscvSv39
        /// ``Architecture/riscvSv48``.
        case riscvSv48
        /// ``Architecture/riscvSv57``.
        case riscvSv57
        /// ``Architecture/ia64LongVHPT``.
        case ia64LongVHPT
        /// ``Architecture/ia64ShortVHPT``.
        case ia64ShortVHPT
        /// ``Architecture/ppc64HPT``.
        case ppc64HPT
    }
}
