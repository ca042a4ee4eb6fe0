/// What one encoded radix entry means to the hardware walker.
enum RadixDescriptor: Hashable, Sendable {
    /// Not present / invalid: the walk faults here.
    case invalid
    /// Reserved bits or an impossible encoding: the walk faults here.
    case reserved
    /// A valid leaf whose access flag is clear (AArch64 AF = 0).
    case accessFlagClear
    /// A pointer to the next-level table at `frame`, and the rights it leaves to the levels below.
    case table(frame: UInt64, allowed: AccessRights)
    /// A leaf mapping the frame-aligned physical address `physical` with `rights`.
    case leaf(physical: UInt64, rights: AccessRights)
}
