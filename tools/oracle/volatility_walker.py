"""A second walker for real kernels' page tables: Volatility3's Intel32e layer (x86-64 4-level)
over QEMU's ELF core (its Elf64Layer maps PT_LOAD segments at p_paddr).

Usage: python volatility_walker.py DUMP.elf CR3

Prints one line per leaf translation Volatility finds, "VA PA SIZE" in hexadecimal, VA
sign-extended (canonical), then a last line "seconds S" with the time of the enumeration.
Volatility skips leaves whose frames the dump does not hold (device memory).
"""
import sys
import time

from volatility3.framework import contexts
from volatility3.framework.layers import elf, intel, physical


def main(path, cr3):
    context = contexts.Context()
    context.config["file.location"] = "file://" + path
    context.add_layer(physical.FileLayer(context, "file", "file"))
    context.config["memory.base_layer"] = "file"
    context.add_layer(elf.Elf64Layer(context, "memory", "memory"))
    context.config["virtual.memory_layer"] = "memory"
    context.config["virtual.page_map_offset"] = cr3
    layer = intel.Intel32e(context, "virtual", "virtual")
    context.add_layer(layer)
    started = time.monotonic()
    out = sys.stdout
    for offset, size, mapped, _, _ in layer._mapping(0, layer.maximum_address + 1, ignore_errors=True):
        out.write(f"{layer.canonicalize(offset):x} {mapped:x} {size:x}\n")
    out.write(f"seconds {time.monotonic() - started:.3f}\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1], int(sys.argv[2], 0))
