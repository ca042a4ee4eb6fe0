#!/usr/bin/env python3
"""Unicorn 2.1.4 as an independent MMU oracle for exported MMUStore page-table images.

Usage: unicorn_oracle.py IMAGE_DIR QUERY_FILE ANSWER_FILE

IMAGE_DIR holds manifest.json and memory.img as written by MMUArchitectures'
PageTableImage.write(to:). QUERY_FILE has one query per line: `VA ACCESS PRIVILEGE` with VA in
hex, ACCESS one of r/w/x and PRIVILEGE k (kernel) or u (user). ANSWER_FILE receives one line per
query, in order: the physical address in hex (`0x...`) when the emulated CPU's own page walker
allows the access, else `fault`.

The tables are loaded into guest-physical memory at their physical addresses, the control
registers are set from the manifest, and every query is answered by uc_vmem_translate (called
through ctypes: the 2.1.4 Python binding does not wrap it), which walks with the CPU's current
privilege. User-mode answers come from a second emulator instance that first drops to user
mode with paging still off (x86 iretq/iretd through a scratch GDT, AArch64 eret, RISC-V priv
register) and only then enables paging. Pitfalls followed (EMULATOR-ORACLE.md): CR0.WP=1,
EFER.NXE from the manifest, SCR_EL3.RW/HCR_EL2.RW for an AArch64 EL1 regime, CPL3 reached by
instruction count, the TLB flushed after every register or memory change.

Exit status: 0 on success, 2 when unicorn is missing (install with pip install unicorn==2.1.4),
1 for anything else.
"""

import ctypes
import json
import os
import sys

try:
    import unicorn
    from unicorn import Uc, UcError
    from unicorn import unicorn_const as uc_const
    from unicorn import x86_const as x86
    from unicorn import arm64_const as arm64
    from unicorn import riscv_const as riscv
    from unicorn.unicorn_py3.unicorn import uclib
except ImportError as error:  # pragma: no cover - reported to the Swift test
    sys.stderr.write("unicorn is not installed (%s): pip install unicorn==2.1.4\n" % error)
    sys.exit(2)

if unicorn.__version__ != "2.1.4":
    sys.stderr.write("unicorn %s found, the oracle needs 2.1.4: pip install unicorn==2.1.4\n" % unicorn.__version__)
    sys.exit(2)

uclib.uc_vmem_translate.argtypes = [ctypes.c_void_p, ctypes.c_uint64, ctypes.c_int, ctypes.POINTER(ctypes.c_uint64)]
uclib.uc_vmem_translate.restype = ctypes.c_int

PAGE = 0x1000
PROT = {"r": uc_const.UC_PROT_READ, "w": uc_const.UC_PROT_WRITE, "x": uc_const.UC_PROT_EXEC}
SCRATCH_PAGES = 16


def hexval(text):
    return int(text, 16) if text.lower().startswith("0x") else int(text)


def flush(uc):
    uc.ctl(uc_const.UC_CTL_TLB_FLUSH, uc_const.UC_CTL_IO_WRITE)


def load_image(uc, directory, pages):
    """Maps and writes every table page at its physical address (runs mapped together)."""
    with open(os.path.join(directory, "memory.img"), "rb") as memory:
        runs = []
        for page in pages:
            if runs and runs[-1][1] == page:
                runs[-1][1] = page + PAGE
            else:
                runs.append([page, page + PAGE])
        for start, end in runs:
            uc.mem_map(start, end - start)
            memory.seek(start)
            data = memory.read(end - start)
            uc.mem_write(start, data.ljust(end - start, b"\0"))


def scratch_base(pages, limit):
    """A 64 KiB-aligned free physical range below `limit` for the privilege-drop stub."""
    taken = set(pages)
    base = 0x10000
    while base + SCRATCH_PAGES * PAGE <= limit:
        if all(base + i * PAGE not in taken for i in range(SCRATCH_PAGES)):
            return base
        base += SCRATCH_PAGES * PAGE
    raise RuntimeError("no scratch memory below 0x%x" % limit)


def gdt_bytes(long_mode):
    code = 0x00AF9A000000FFFF if long_mode else 0x00CF9A000000FFFF
    user_code = 0x00AFFA000000FFFF if long_mode else 0x00CFFA000000FFFF
    entries = [0, code, 0x00CF92000000FFFF, 0x00CFF2000000FFFF, user_code]
    return b"".join(entry.to_bytes(8, "little") for entry in entries)


def drop_x86_to_user(uc, scratch, long_mode):
    """With paging off: a GDT, a kernel stack and an iret stub; run 6 instructions to CPL3."""
    uc.mem_map(scratch, SCRATCH_PAGES * PAGE)
    uc.mem_write(scratch, gdt_bytes(long_mode))
    uc.reg_write(x86.UC_X86_REG_GDTR, (0, scratch, 5 * 8 - 1, 0))
    stub = scratch + 0x1000
    user_stack = scratch + 0x3800
    user_rip = scratch + 0x4000
    code = bytes([0x6A, 0x1B, 0x68]) + user_stack.to_bytes(4, "little") + bytes([0x6A, 0x02, 0x6A, 0x23, 0x68])
    code += user_rip.to_bytes(4, "little") + (bytes([0x48, 0xCF]) if long_mode else bytes([0xCF]))
    uc.mem_write(stub, code)
    if long_mode:
        uc.reg_write(x86.UC_X86_REG_RSP, scratch + 0x3000)
    else:
        # Unicorn's 32-bit reset state has a 16-bit stack segment: load the flat data selector.
        uc.reg_write(x86.UC_X86_REG_SS, 0x10)
        uc.reg_write(x86.UC_X86_REG_ESP, scratch + 0x3000)
    uc.emu_start(stub, 0, count=6)
    cs = uc.reg_read(x86.UC_X86_REG_CS)
    if cs & 3 != 3:
        raise RuntimeError("x86: still at CPL %d after iret (CS=0x%x)" % (cs & 3, cs))


def setup_x86(uc, manifest, user, long_mode, scratch):
    registers = {name: hexval(value) for name, value in manifest["registers"].items()}
    if user:
        drop_x86_to_user(uc, scratch, long_mode)
    uc.reg_write(x86.UC_X86_REG_CR3, hexval(manifest["root"]["cr3"]))
    uc.reg_write(x86.UC_X86_REG_CR4, registers["cr4"])
    if registers.get("efer", 0):
        efer = uc.reg_read(x86.UC_X86_REG_MSR, 0xC0000080)
        uc.reg_write(x86.UC_X86_REG_MSR, (0xC0000080, efer | registers["efer"]))
    uc.reg_write(x86.UC_X86_REG_MSR, (0x277, registers["pat"]))
    uc.reg_write(x86.UC_X86_REG_CR0, uc.reg_read(x86.UC_X86_REG_CR0) | registers["cr0"])
    flush(uc)


def cp_reg(uc, encoding, value):
    crn, crm, op0, op1, op2 = encoding
    uc.reg_write(arm64.UC_ARM64_REG_CP_REG, (crn, crm, op0, op1, op2, value))


SCR_EL3 = (1, 1, 3, 6, 0)
HCR_EL2 = (1, 1, 3, 4, 0)
TCR_EL1 = (2, 0, 3, 0, 2)
SCTLR_EL1 = (1, 0, 3, 0, 0)
SPSR_EL1 = (4, 0, 3, 0, 0)
ELR_EL1 = (4, 0, 3, 0, 1)


def setup_aarch64(uc, manifest, user, scratch):
    registers = {name: hexval(value) for name, value in manifest["registers"].items()}
    cp_reg(uc, SCR_EL3, (1 << 10) | 1)
    cp_reg(uc, HCR_EL2, 1 << 31)
    if user:
        uc.mem_map(scratch, SCRATCH_PAGES * PAGE)
        uc.mem_write(scratch, (0xD69F03E0).to_bytes(4, "little"))  # eret
        cp_reg(uc, SPSR_EL1, 0)
        cp_reg(uc, ELR_EL1, scratch + 0x1000)
        uc.emu_start(scratch, 0, count=1)
        if uc.reg_read(arm64.UC_ARM64_REG_PSTATE) & 0xC:
            raise RuntimeError("aarch64: still above EL0 after eret")
    uc.reg_write(arm64.UC_ARM64_REG_MAIR_EL1, registers["mair_el1"])
    cp_reg(uc, TCR_EL1, registers["tcr_el1"])
    uc.reg_write(arm64.UC_ARM64_REG_TTBR0_EL1, hexval(manifest["root"]["ttbr0_el1"]))
    uc.reg_write(arm64.UC_ARM64_REG_TTBR1_EL1, hexval(manifest["root"]["ttbr1_el1"]))
    sctlr = uc.reg_read(arm64.UC_ARM64_REG_CP_REG, SCTLR_EL1 + (0,))
    cp_reg(uc, SCTLR_EL1, sctlr | registers["sctlr_el1"])
    flush(uc)


def setup_riscv(uc, manifest, user):
    registers = {name: hexval(value) for name, value in manifest["registers"].items()}
    uc.reg_write(riscv.UC_RISCV_REG_MSTATUS, uc.reg_read(riscv.UC_RISCV_REG_MSTATUS) | registers["sstatus"])
    uc.reg_write(riscv.UC_RISCV_REG_SATP, hexval(manifest["root"]["satp"]))
    uc.reg_write(riscv.UC_RISCV_REG_PRIV, 0 if user else 1)
    flush(uc)


def make_emulator(manifest, directory, pages, user):
    name = manifest["format"]
    if name.startswith("x86_64"):
        uc = Uc(uc_const.UC_ARCH_X86, uc_const.UC_MODE_64)
        load_image(uc, directory, pages)
        setup_x86(uc, manifest, user, True, scratch_base(pages, 1 << 32))
    elif name.startswith("i386"):
        uc = Uc(uc_const.UC_ARCH_X86, uc_const.UC_MODE_32)
        load_image(uc, directory, pages)
        setup_x86(uc, manifest, user, False, scratch_base(pages, 1 << 32))
    elif name.startswith("aarch64"):
        uc = Uc(uc_const.UC_ARCH_ARM64, uc_const.UC_MODE_ARM)
        load_image(uc, directory, pages)
        setup_aarch64(uc, manifest, user, scratch_base(pages, 1 << 32))
    elif name.startswith("riscv"):
        uc = Uc(uc_const.UC_ARCH_RISCV, uc_const.UC_MODE_RISCV64)
        load_image(uc, directory, pages)
        setup_riscv(uc, manifest, user)
    else:
        raise RuntimeError("format %s has no Unicorn walker" % name)
    return uc


def translate(uc, address, access):
    physical = ctypes.c_uint64(0)
    error = uclib.uc_vmem_translate(uc._uch, address, PROT[access], ctypes.byref(physical))
    return "0x%x" % physical.value if error == 0 else "fault"


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 1
    directory, query_path, answer_path = argv[1:]
    with open(os.path.join(directory, "manifest.json")) as handle:
        manifest = json.load(handle)
    pages = sorted(hexval(page) for page in manifest["tablePages"])
    queries = []
    with open(query_path) as handle:
        for line in handle:
            if line.strip():
                va, access, privilege = line.split()
                queries.append((hexval(va), access, privilege))
    answers = [None] * len(queries)
    for privilege in ("k", "u"):
        indices = [i for i, query in enumerate(queries) if query[2] == privilege]
        if not indices:
            continue
        uc = make_emulator(manifest, directory, pages, privilege == "u")
        for i in indices:
            answers[i] = translate(uc, queries[i][0], queries[i][1])
    with open(answer_path, "w") as handle:
        handle.write("\n".join(answers) + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (UcError, RuntimeError, OSError, KeyError, ValueError) as error:
        sys.stderr.write("oracle failed: %r\n" % (error,))
        sys.exit(1)
