/// An AArch64 virtual-address size (per TTBR half) as a type, so that each size's tables are
/// compiled with it as a constant.
protocol AArch64AddressSize: Sendable {
    /// The virtual-address bits of each half: 48 or 39.
    static var virtualBits: Int { get }
}

/// 48-bit halves (T0SZ = T1SZ = 16), four levels.
enum AArch64FortyEightBit: AArch64AddressSize {
    static var virtualBits: Int { 48 }
}

/// 39-bit halves (T0SZ = T1SZ = 25), three levels.
enum AArch64ThirtyNineBit: AArch64AddressSize {
    static var virtualBits: Int { 39 }
}
