/// The privilege an access is made with: the least privileged level (x86 CPL 3, AArch64 EL0,
/// RISC-V U-mode, IA-64 PL 3, PowerPC problem state) or the kernel's (CPL 0, EL1, S-mode, PL 0,
/// privileged state).
public enum PrivilegeLevel: String, CaseIterable, Hashable, Sendable, Codable {
    /// User mode.
    case user
    /// Kernel (supervisor) mode.
    case kernel
}
