#!/usr/bin/env python3
"""An independent decoder for exported hashed page tables: ia64-vhpt-long, ia64-vhpt-short, ppc64-hpt.

Usage:
  hashed_decoder.py IMAGE_DIR                   decode every entry, check each is findable
  hashed_decoder.py IMAGE_DIR --translate FILE  also translate the addresses in FILE (one hex VA a line):
                                                a `query` line each, with the physical address or null

IMAGE_DIR holds manifest.json and memory.img (README "Export"). Written from the architecture
manuals (Itanium SDM vol. 2 sec. 4.1.5-4.1.6, "VHPT short/long format" and "VHPT hashing"; Power
ISA Book III-S "Hashed page table") as summarised in HARDWARE-FORMATS.md, and from the manifest's
own declarations for what the manuals leave to the implementation or the OS (the long format's
hash and tag functions, its collision-chain link word and miss handler, PowerPC's LP codes). It
does not share code or constants with the encoder.

The decoder walks everything the hardware (or the documented miss handler) could find:
  ia64-vhpt-long   every hash slot and the collision chain hanging from it;
  ia64-vhpt-short  every PTE of every backed page of each region's linear table;
  ppc64-hpt        every HPTE of every PTEG.
For each valid entry it prints one JSON line with the translation it stands for (virtual page,
size, frame, rights in kernel and user mode, cache attribute, accessed/dirty, where it sits),
then looks the entry up again the way the hardware does (hash -> slot -> tag compare, thash ->
linear table, hash -> primary/secondary PTEG search) at its first and last byte, and reports
whether the lookup returns this very entry. Anything wrong (reserved bits, a tag or AVPN that
hashes elsewhere, an unreachable or looping chain, a shadowed entry) is printed as a `problem`
line. The last line is a `summary`. Query answers, with --translate, are `query` lines.

Exit status: 0 when no problem was found, 1 when problems were found (listed), 2 when the
image cannot be read at all (the reason on standard error).
"""

import json
import os
import sys

PAGE = 4096
IMAGE_LIMIT = 256 << 20  # the most table memory this decoder reads (files from elsewhere are hostile)
RIGHTS_ORDER = "rwx"


class Unreadable(Exception):
    """The image cannot be decoded at all."""


def number(text, what):
    if not isinstance(text, str):
        raise Unreadable("%s is not a string: %r" % (what, text))
    try:
        return int(text, 16) if text.lower().startswith("0x") else int(text, 10)
    except ValueError:
        raise Unreadable("%s = %r is not a number" % (what, text))


def rights_text(rights):
    return "".join(letter if letter in rights else "-" for letter in RIGHTS_ORDER)


def protection_text(kernel, user):
    """The canonical rwxu notation: rwx held by either mode, u when user mode has any right."""
    both = kernel | user
    return rights_text(both) + ("u" if user else "-")


class Image:
    """manifest.json plus bounded reads of memory.img, restricted to the listed table pages."""

    def __init__(self, directory):
        manifest_path = os.path.join(directory, "manifest.json")
        if not os.path.isfile(manifest_path):
            raise Unreadable("%s is not a regular file" % manifest_path)
        with open(manifest_path, "rb") as handle:
            data = handle.read(16 << 20)
        try:
            self.manifest = json.loads(data)
        except ValueError as error:
            raise Unreadable("%s is not JSON: %s" % (manifest_path, error))
        if not isinstance(self.manifest, dict):
            raise Unreadable("%s is not a JSON object" % manifest_path)
        self.format = self.manifest.get("format")
        self.parameters = self.manifest.get("parameters") or {}
        self.registers = {name: number(value, "registers." + name) for name, value in (self.manifest.get("registers") or {}).items()}
        self.root = {name: number(value, "root." + name) for name, value in (self.manifest.get("root") or {}).items()}
        self.pages = set(number(page, "tablePages") for page in self.manifest.get("tablePages") or [])
        if len(self.pages) * PAGE > IMAGE_LIMIT:
            raise Unreadable("%d table pages are more than this decoder reads (%d MiB)" % (len(self.pages), IMAGE_LIMIT >> 20))
        if any(page & (PAGE - 1) for page in self.pages):
            raise Unreadable("a table page address is not page-aligned")
        self.path = os.path.join(directory, "memory.img")
        if not os.path.isfile(self.path):
            raise Unreadable("%s is not a regular file" % self.path)
        self.size = os.path.getsize(self.path)
        self.handle = open(self.path, "rb")
        self.cache = {}

    def parameter(self, name):
        if name not in self.parameters:
            raise Unreadable("manifest parameters.%s is missing" % name)
        return self.parameters[name]

    def register(self, name):
        if name not in self.registers:
            raise Unreadable("manifest registers.%s is missing" % name)
        return self.registers[name]

    def page(self, address):
        """The 4 KiB table page at `address`, or None when it is not a listed table page."""
        base = address & ~(PAGE - 1)
        if base not in self.pages:
            return None
        if base not in self.cache:
            if base + PAGE > self.size:
                raise Unreadable("table page 0x%x lies beyond the end of memory.img (%d bytes)" % (base, self.size))
            self.handle.seek(base)
            self.cache[base] = self.handle.read(PAGE)
        return self.cache[base]

    def word(self, address, order):
        """The 8-byte word at `address` (8-aligned) in byte order `order`, or None outside the table pages."""
        page = self.page(address)
        if page is None:
            return None
        offset = address & (PAGE - 1)
        return int.from_bytes(page[offset:offset + 8], order)


# --------------------------------------------------------------------------------------------
# IA-64: PTE (short entry, word 0 of a long entry) and access rights (SDM vol. 2 sec. 4.1.5)

IA64_MEMORY_ATTRIBUTES = {0: "WB", 4: "UC", 5: "UCE", 6: "WC", 7: "NaTPage"}


def ia64_rights(pl, ar, cpl):
    """Rights at privilege `cpl` for a page of privilege level `pl` and access rights `ar`."""
    if ar == 7:
        # Execute-only gate: the most privileged level gets RX, every other level X.
        return set("rx") if cpl == 0 else set("x")
    if cpl > pl:
        return set()
    basic = {0: "r", 1: "rx", 2: "rw", 3: "rwx"}
    if ar in basic:
        return set(basic[ar])
    at_level, more_privileged = {4: ("r", "rw"), 5: ("rx", "rwx"), 6: ("rwx", "rw")}[ar]
    return set(at_level if cpl == pl else more_privileged)


def ia64_pte(word, size, problems, where):
    """The translation fields of a present PTE word for a page of `size` bytes."""
    if word >> 1 & 1 or word >> 50 & 3:
        problems.append({"problem": "reserved PTE bits set (a Reserved Register/Field fault)", "at": hex(where), "word": hex(word)})
    ma = word >> 2 & 7
    if ma not in IA64_MEMORY_ATTRIBUTES:
        problems.append({"problem": "reserved memory attribute %d" % ma, "at": hex(where)})
    pl = word >> 7 & 3
    ar = word >> 9 & 7
    frame = word & ((1 << 50) - 1) & ~(PAGE - 1)
    if frame & (size - 1):
        problems.append({"problem": "frame 0x%x is not aligned to the page size %d" % (frame, size), "at": hex(where)})
    kernel = ia64_rights(pl, ar, 0)
    user = ia64_rights(pl, ar, 3)
    return {
        "pa": hex(frame & ~(size - 1)), "kernel": rights_text(kernel), "user": rights_text(user),
        "protection": protection_text(kernel, user), "cache": IA64_MEMORY_ATTRIBUTES.get(ma, "reserved-%d" % ma),
        "accessed": bool(word >> 5 & 1), "dirty": bool(word >> 6 & 1), "global": None,
        "pl": pl, "ar": ar, "ed": bool(word >> 52 & 1),
    }


class IA64Regions:
    """The region registers: RID and preferred page size per VRN, and implemented addresses."""

    def __init__(self, image):
        self.implemented = number(image.parameter("implementedVirtualBits"), "parameters.implementedVirtualBits")
        if not 51 <= self.implemented <= 61:
            raise Unreadable("implementedVirtualBits %d is outside 51...61" % self.implemented)
        bits = image.parameter("hash.addressBits")
        if bits != "%d:0" % (self.implemented - 1):
            raise Unreadable("parameters.hash.addressBits is %r; the architecture hashes VA{IMPL_VA_MSB:0} = %d:0" % (bits, self.implemented - 1))
        if image.parameter("hash.pageShift") != "rr.ps":
            raise Unreadable("parameters.hash.pageShift is %r; the architecture shifts by RR[VRN].ps ('rr.ps')" % image.parameter("hash.pageShift"))
        self.rid = []
        self.ps = []
        for vrn in range(8):
            value = image.register("rr%d" % vrn)
            if value & 1 == 0:
                raise Unreadable("rr%d.ve = 0: the walker is off in region %d" % (vrn, vrn))
            if value & 2 or value >> 32:
                raise Unreadable("rr%d = 0x%x has reserved bits set" % (vrn, value))
            self.ps.append(value >> 2 & 0x3F)
            self.rid.append(value >> 8 & 0xFFFFFF)
            if not 12 <= self.ps[-1] <= 61:
                raise Unreadable("rr%d.ps = %d is not a page size" % (vrn, self.ps[-1]))

    def offset(self, va):
        """VA{IMPL_VA_MSB:0}, or None for an unimplemented address."""
        offset = va & ((1 << 61) - 1)
        top = offset >> (self.implemented - 1)
        if top not in (0, (1 << (62 - self.implemented)) - 1):
            return None
        return offset & ((1 << self.implemented) - 1)

    def address(self, vrn, offset):
        """The virtual address of implemented offset `offset` in region `vrn` (sign-extended)."""
        if offset >> (self.implemented - 1) & 1:
            offset |= ((1 << 61) - 1) & ~((1 << self.implemented) - 1)
        return vrn << 61 | offset


# --------------------------------------------------------------------------------------------
# IA-64 long format (PTA.vf = 1): one hash table of 32-byte entries


class LongVHPT:
    def __init__(self, image):
        self.image = image
        self.regions = IA64Regions(image)
        pta = image.root.get("pta")
        if pta is None:
            raise Unreadable("manifest root.pta is missing")
        if pta & 1 == 0 or pta >> 8 & 1 == 0:
            raise Unreadable("pta = 0x%x: the long-format walker needs PTA.ve = 1 and PTA.vf = 1" % pta)
        self.size_bits = pta >> 2 & 0x3F
        if not 15 <= self.size_bits <= 28:
            raise Unreadable("PTA.size = %d is outside 15...28 (this decoder reads at most 256 MiB)" % self.size_bits)
        self.pta = pta
        self.slots = 1 << (self.size_bits - 5)
        virtual_base = pta & ~((1 << 15) - 1) & ~((1 << self.size_bits) - 1)
        self.physical_base = number(image.parameter("vhptPhysicalBase"), "parameters.vhptPhysicalBase")
        self.virtual_base = virtual_base
        if self.physical_base & ((1 << self.size_bits) - 1):
            raise Unreadable("vhptPhysicalBase 0x%x is not aligned to the table size" % self.physical_base)
        if image.parameter("hash.definition") != "xor-shift":
            raise Unreadable("hash %r has definition %r; this decoder knows 'xor-shift' (index = hpn ^ (rid << hash.indexRIDShift), "
                             "tag = hpn ^ (rid << hash.tagRIDShift))" % (image.parameters.get("hash"), image.parameters.get("hash.definition")))
        self.index_shift = number(image.parameter("hash.indexRIDShift"), "parameters.hash.indexRIDShift")
        self.tag_shift = number(image.parameter("hash.tagRIDShift"), "parameters.hash.tagRIDShift")
        if self.regions.implemented - min(self.regions.ps) > self.tag_shift:
            raise Unreadable("a page number of %d bits overlaps the RID at bit %d of the tag: the tag cannot be inverted"
                             % (self.regions.implemented - min(self.regions.ps), self.tag_shift))
        if image.parameter("link.meaning") != "physical-address":
            raise Unreadable("link.meaning %r: this decoder follows 'physical-address' links" % image.parameter("link.meaning"))
        self.link_offset = number(image.parameter("link.offset"), "parameters.link.offset")
        if self.link_offset != 24:
            raise Unreadable("link.offset %d: the only word the walker ignores is +24" % self.link_offset)
        self.link_end = number(image.parameter("link.end"), "parameters.link.end")
        if image.parameter("largePages") != "first-address":
            raise Unreadable("largePages %r: this decoder knows 'first-address' (one entry, hashed at the page's first address)" % image.parameter("largePages"))
        self.handler_shifts = []
        for vrn in range(8):
            text = image.parameter("rr%d.pageShifts" % vrn)
            shifts = sorted(number(item, "rr%d.pageShifts" % vrn) for item in text.split(",") if item)
            self.handler_shifts.append(shifts)

    def hash(self, hpn, rid):
        return (hpn ^ (rid << self.index_shift)) & (self.slots - 1)

    def tag(self, hpn, rid):
        return (hpn ^ (rid << self.tag_shift)) & ~(1 << 63)

    def slot_address(self, index):
        """Architected VHPT address of a hash index (Figure 4-15), then its physical address."""
        mask = (1 << self.size_bits) - 1
        offset = index << 5
        virtual = (self.pta >> 61) << 61 | ((self.pta & ((1 << 61) - 1) & ~mask & ~0x7FFF) | (offset & mask))
        return self.physical_base + (virtual - self.virtual_base)

    def record(self, address):
        words = [self.image.word(address + 8 * i, "little") for i in range(4)]
        if None in words:
            return None
        return words

    def chain(self, index, problems):
        """The records of slot `index`'s chain: the slot, then the +24 links until link.end."""
        address = self.slot_address(index)
        seen = set()
        while True:
            if address in seen:
                problems.append({"problem": "collision chain of slot %d loops at 0x%x" % (index, address)})
                return
            seen.add(address)
            words = self.record(address)
            if words is None:
                problems.append({"problem": "link to 0x%x in the chain of slot %d points outside the table pages" % (address, index)})
                return
            yield address, words
            if words[3] == self.link_end:
                return
            address = words[3]
            if address & 31:
                problems.append({"problem": "link 0x%x in the chain of slot %d is not a 32-byte record" % (address, index)})
                return

    def decode(self, problems):
        entries = []
        reached = {}
        for index in range(self.slots):
            for position, (address, words) in enumerate(self.chain(index, problems)):
                if address in reached:
                    problems.append({"problem": "record 0x%x is in the chains of slots %d and %d" % (address, reached[address], index)})
                    continue
                reached[address] = index
                entry = self.translation(index, address, words, problems)
                if entry is not None:
                    entry["chainPosition"] = position
                    entries.append(entry)
        hash_end = self.slot_address(0) + (self.slots << 5)
        for page in sorted(self.image.pages):
            if self.slot_address(0) <= page < hash_end:
                continue
            for address in range(page, page + PAGE, 32):
                words = self.record(address)
                if address not in reached and words[2] >> 63 == 0 and words[0] & 1:
                    problems.append({"problem": "record 0x%x holds a valid tag but no chain reaches it" % address})
        return entries

    def translation(self, index, address, words, problems):
        pte, itir, tag, _ = words
        if tag >> 63:
            return None  # ti = 1: never matches
        if pte & 1 == 0:
            problems.append({"problem": "record 0x%x has a valid tag but p = 0" % address})
            return None
        rid = tag >> self.tag_shift
        hpn = tag & ((1 << self.tag_shift) - 1)
        regions = [vrn for vrn in range(8) if self.regions.rid[vrn] == rid]
        if len(regions) != 1:
            problems.append({"problem": "tag 0x%x names RID %d, held by %d region registers" % (tag, rid, len(regions)), "at": hex(address)})
            return None
        vrn = regions[0]
        ps = itir >> 2 & 0x3F
        if itir & 3 or itir >> 32:
            problems.append({"problem": "reserved ITIR bits set", "at": hex(address), "itir": hex(itir)})
        if ps < self.regions.ps[vrn]:
            problems.append({"problem": "page size 2^%d is below region %d's preferred size 2^%d" % (ps, vrn, self.regions.ps[vrn]), "at": hex(address)})
            return None
        offset = hpn << self.regions.ps[vrn]
        if offset >> self.regions.implemented:
            problems.append({"problem": "tag 0x%x stands for an unimplemented address" % tag, "at": hex(address)})
            return None
        size = 1 << ps
        if offset & (size - 1):
            problems.append({"problem": "tag 0x%x stands for 0x%x, not aligned to its page size 2^%d" % (tag, offset, ps), "at": hex(address)})
            return None
        va = self.regions.address(vrn, offset)
        entry = {"va": hex(va), "size": size}
        entry.update(ia64_pte(pte, size, problems, address))
        entry["key"] = itir >> 8 & 0xFFFFFF
        entry["at"] = hex(address)
        entry["slot"] = index
        entry["hashedSlot"] = self.hash(hpn, rid)
        return entry

    def lookup(self, va):
        """The record the walker, then the documented miss handler, finds for `va`: (address, by) or None."""
        vrn = va >> 61
        offset = self.regions.offset(va)
        if offset is None:
            return None
        rid, ps = self.regions.rid[vrn], self.regions.ps[vrn]
        hpn = offset >> ps
        address = self.slot_address(self.hash(hpn, rid))
        words = self.record(address)
        if words is not None and words[2] == self.tag(hpn, rid) and words[0] & 1 and self.covers(words, vrn, hpn, va):
            return address, "walker"
        for shift in self.handler_shifts[vrn]:
            aligned_hpn = (offset & ~((1 << shift) - 1)) >> ps
            for address, words in self.chain(self.hash(aligned_hpn, rid), []):
                if words[2] == self.tag(aligned_hpn, rid) and words[1] >> 2 & 0x3F == shift and words[0] & 1:
                    return address, "handler"
        return None

    def covers(self, words, vrn, hpn, va):
        size = 1 << (words[1] >> 2 & 0x3F)
        start = self.regions.address(vrn, hpn << self.regions.ps[vrn])
        return start <= va < start + size


# --------------------------------------------------------------------------------------------
# IA-64 short format (PTA.vf = 0): per-region linear tables


class ShortVHPT:
    def __init__(self, image):
        self.image = image
        self.regions = IA64Regions(image)
        pta = image.root.get("pta")
        if pta is None:
            raise Unreadable("manifest root.pta is missing")
        if pta & 1 == 0 or pta >> 8 & 1:
            raise Unreadable("pta = 0x%x: the short-format walker needs PTA.ve = 1 and PTA.vf = 0" % pta)
        self.size_bits = pta >> 2 & 0x3F
        if not 15 <= self.size_bits <= 52:
            raise Unreadable("PTA.size = %d is outside 15...52" % self.size_bits)
        self.pta = pta
        self.mappings = {}
        for mapping in image.manifest.get("tableMappings") or []:
            virtual = number(mapping.get("virtual"), "tableMappings.virtual")
            physical = number(mapping.get("physical"), "tableMappings.physical")
            if virtual & (PAGE - 1) or physical & (PAGE - 1):
                raise Unreadable("table mapping 0x%x -> 0x%x is not page-aligned" % (virtual, physical))
            if virtual in self.mappings:
                raise Unreadable("table page 0x%x is mapped twice" % virtual)
            self.mappings[virtual] = physical

    def thash(self, va):
        """The architected short-format VHPT address of `va` (Figure 4-14), or None if unimplemented."""
        offset = self.regions.offset(va)
        if offset is None:
            return None
        vrn = va >> 61
        mask = (1 << self.size_bits) - 1
        vhpt_offset = (offset >> self.regions.ps[vrn]) << 3
        window = self.pta & ((1 << 61) - 1) & ~0x7FFF & ~mask
        return vrn << 61 | window | (vhpt_offset & mask)

    def read_pte(self, table_address):
        physical = self.mappings.get(table_address & ~(PAGE - 1))
        if physical is None:
            return None, None
        address = physical | (table_address & (PAGE - 1))
        return address, self.image.word(address, "little")

    def decode(self, problems):
        entries = []
        mask = (1 << self.size_bits) - 1
        window = self.pta & ((1 << 61) - 1) & ~0x7FFF & ~mask
        for virtual in sorted(self.mappings):
            vrn = virtual >> 61
            if virtual & ((1 << 61) - 1) & ~mask != window:
                problems.append({"problem": "table page 0x%x lies outside region %d's VHPT window" % (virtual, vrn)})
                continue
            if self.image.page(self.mappings[virtual]) is None:
                problems.append({"problem": "table page 0x%x is backed by 0x%x, which is not a table page" % (virtual, self.mappings[virtual])})
                continue
            ps = self.regions.ps[vrn]
            for slot in range(PAGE // 8):
                table_address = virtual + 8 * slot
                address, pte = self.read_pte(table_address)
                if pte & 1 == 0:
                    continue
                offset = ((table_address & mask) >> 3) << ps
                if offset >> self.regions.implemented:
                    problems.append({"problem": "PTE at 0x%x stands for an unimplemented address" % table_address})
                    continue
                size = 1 << ps
                entry = {"va": hex(self.regions.address(vrn, offset)), "size": size}
                entry.update(ia64_pte(pte, size, problems, address))
                entry["at"] = hex(address)
                entry["tableAddress"] = hex(table_address)
                entries.append(entry)
        return entries

    def lookup(self, va):
        table_address = self.thash(va)
        if table_address is None:
            return None
        address, pte = self.read_pte(table_address)
        if pte is None or pte & 1 == 0:
            return None
        return address, "walker"


# --------------------------------------------------------------------------------------------
# PowerPC Book3S-64 HPT (pre-ISA-3.0 HPTE layout, 256 MiB segments)

RPN_MASK = 0x0FFF_FFFF_FFFF_F000


class PowerHPT:
    def __init__(self, image):
        self.image = image
        if image.parameters.get("hptLayout") != "pre-ISA-3.0":
            raise Unreadable("hptLayout %r: this decoder reads the pre-ISA-3.0 HPTE layout" % image.parameters.get("hptLayout"))
        if number(image.parameter("segmentSize"), "parameters.segmentSize") != 1 << 28:
            raise Unreadable("segmentSize must be 256 MiB (B = 00)")
        if image.parameter("hash") != "power-isa-256M":
            raise Unreadable("hash %r: the architected 256 MiB-segment hash is 'power-isa-256M'" % image.parameter("hash"))
        self.hash_bits = number(image.parameter("hash.bits"), "parameters.hash.bits")
        sdr1 = image.root.get("sdr1")
        if sdr1 is None:
            raise Unreadable("manifest root.sdr1 is missing")
        size_field = sdr1 & 0x1F
        if size_field > 28 or sdr1 & ~(0x0FFF_FFFF_FFFC_0000 | 0x1F):
            raise Unreadable("sdr1 = 0x%x is malformed" % sdr1)
        self.base = sdr1 & 0x0FFF_FFFF_FFFC_0000
        self.groups = 1 << (11 + size_field)
        if self.groups * 128 > IMAGE_LIMIT:
            raise Unreadable("HTAB of %d PTEGs is larger than this decoder reads" % self.groups)
        if self.base & (self.groups * 128 - 1):
            raise Unreadable("HTABORG 0x%x is not aligned to the table size" % self.base)
        self.kernel_key = image.register("slb.ks")
        self.user_key = image.register("slb.kp")
        self.no_execute_segment = image.register("slb.n")
        self.code_shift = number(image.parameter("largePage.codeShift"), "parameters.largePage.codeShift")
        self.large_codes = {}
        for name, value in image.parameters.items():
            if name.startswith("largePage.") and name != "largePage.codeShift":
                self.large_codes[number(name[len("largePage."):], name)] = number(value, name)
        self.segments = {}
        self.by_vsid = {}
        for segment in image.manifest.get("segments") or []:
            esid = number(segment.get("esid"), "segments.esid")
            vsid = number(segment.get("vsid"), "segments.vsid")
            size = segment.get("pageSize")
            if size not in (4096,) and size not in self.large_codes:
                raise Unreadable("segment 0x%x has page size %r with no LP code in the manifest" % (esid, size))
            if esid in self.segments or vsid in self.by_vsid:
                raise Unreadable("segment 0x%x or VSID 0x%x is listed twice" % (esid, vsid))
            self.segments[esid] = (vsid, size)
            self.by_vsid[vsid] = (esid, size)

    def hpte(self, group, slot):
        address = self.base + group * 128 + slot * 16
        return address, self.image.word(address, "big"), self.image.word(address + 8, "big")

    def page_size(self, v, r):
        """The page size L/LP encode (QEMU's rule: the code at codeShift under the page's offset mask), or None."""
        if v >> 2 & 1 == 0:
            return 4096
        matches = [size for size, code in self.large_codes.items() if r & (size - 1) & RPN_MASK == (code << self.code_shift) & (size - 1)]
        return matches[0] if len(matches) == 1 else None

    def rights(self, key, pp):
        """Read/write from PP0||PP and the key (Power ISA Book III-S storage protection, Ks/Kp)."""
        table = {0: {0: "rw", 1: "rw", 2: "rw", 3: "r", 6: "r"}, 1: {0: "", 1: "r", 2: "rw", 3: "r", 6: ""}}
        return table[key].get(pp)

    def primary_hash(self, vsid, page_index):
        return (vsid ^ page_index) & ((1 << self.hash_bits) - 1)

    def decode(self, problems):
        entries = []
        for group in range(self.groups):
            for slot in range(8):
                address, v, r = self.hpte(group, slot)
                if v is None:
                    raise Unreadable("HTAB page 0x%x is not a listed table page" % (address & ~(PAGE - 1)))
                if v & 1 == 0:
                    continue
                entry = self.translation(group, address, v, r, problems)
                if entry is not None:
                    entries.append(entry)
        return entries

    def translation(self, group, address, v, r, problems):
        if v >> 62:
            problems.append({"problem": "HPTE 0x%x has B = %d, not a 256 MiB segment" % (address, v >> 62)})
            return None
        avpn = v >> 7 & ((1 << 55) - 1)
        secondary = v >> 1 & 1
        vsid = avpn >> 5
        if vsid not in self.by_vsid:
            problems.append({"problem": "HPTE 0x%x names VSID 0x%x, which no segment holds" % (address, vsid)})
            return None
        esid, segment_size = self.by_vsid[vsid]
        size = self.page_size(v, r)
        if size is None:
            problems.append({"problem": "HPTE 0x%x: L/LP encode no page size of the manifest" % address, "r": hex(r)})
            return None
        if size != segment_size:
            problems.append({"problem": "HPTE 0x%x encodes %d-byte pages in a segment of %d-byte pages" % (address, size, segment_size)})
            return None
        shift = size.bit_length() - 1
        high = avpn & 0x1F  # EA[27:23]
        if shift > 23:
            if high & ((1 << (shift - 23)) - 1):
                problems.append({"problem": "HPTE 0x%x has AVPN bits inside its page offset" % address})
                return None
            page_index = high >> (shift - 23)
        else:
            hashed = group if not secondary else ~group & (self.groups - 1)
            low_bits = 23 - shift
            low = (hashed ^ vsid) & ((1 << low_bits) - 1)
            page_index = high << low_bits | low
        ea = esid << 28 | page_index << shift
        hash_value = self.primary_hash(vsid, page_index)
        expected_group = hash_value & (self.groups - 1) if not secondary else ~hash_value & (self.groups - 1)
        pp = (r >> 63) << 2 | (r & 3)
        kernel_rw = self.rights(self.kernel_key, pp)
        user_rw = self.rights(self.user_key, pp)
        if kernel_rw is None:
            problems.append({"problem": "HPTE 0x%x has reserved PP0||PP = %d" % (address, pp)})
            return None
        wimg = r >> 3 & 0xF
        executable = r >> 2 & 1 == 0 and wimg & 1 == 0 and self.no_execute_segment == 0
        kernel = set(kernel_rw) | ({"x"} if executable and "r" in kernel_rw else set())
        user = set(user_rw) | ({"x"} if executable and "r" in user_rw else set())
        rpn = r & RPN_MASK
        if shift > 12 and rpn & (size - 1) != (self.large_codes[size] << self.code_shift) & (size - 1):
            problems.append({"problem": "HPTE 0x%x has RPN bits inside its page offset" % address})
        return {
            "va": hex(ea), "size": size, "pa": hex(rpn & ~(size - 1)),
            "kernel": rights_text(kernel), "user": rights_text(user), "protection": protection_text(kernel, user),
            "cache": "".join(letter for bit, letter in zip((8, 4, 2, 1), "WIMG") if wimg & bit) or "-",
            "accessed": bool(r >> 8 & 1), "dirty": bool(r >> 7 & 1), "global": None,
            "key": (r >> 60 & 3) << 3 | (r >> 9 & 7),
            "at": hex(address), "group": group, "secondary": bool(secondary), "hashedGroup": expected_group,
        }

    def lookup(self, ea):
        """The HPTE the hardware finds for `ea`: primary PTEG then secondary, first match: (address, by) or None."""
        segment = self.segments.get(ea >> 28)
        if segment is None:
            return None
        vsid, size = segment
        shift = size.bit_length() - 1
        page_index = (ea & ((1 << 28) - 1)) >> shift
        hash_value = self.primary_hash(vsid, page_index)
        avpn = (vsid << 28 | (ea & ((1 << 28) - 1))) >> 23
        ignored = (1 << (shift - 23)) - 1 if shift > 23 else 0
        for secondary, group in ((0, hash_value & (self.groups - 1)), (1, ~hash_value & (self.groups - 1))):
            for slot in range(8):
                address, v, r = self.hpte(group, slot)
                if v is None or v & 1 == 0 or v >> 1 & 1 != secondary or v >> 62:
                    continue
                if (v >> 7 & ((1 << 55) - 1)) & ~ignored != avpn & ~ignored:
                    continue
                if self.page_size(v, r) != size:
                    continue
                return address, "secondary" if secondary else "primary"
        return None


# --------------------------------------------------------------------------------------------

DECODERS = {"ia64-vhpt-long": LongVHPT, "ia64-vhpt-short": ShortVHPT, "ppc64-hpt": PowerHPT}


def main(arguments):
    if len(arguments) not in (1, 3) or (len(arguments) == 3 and arguments[1] != "--translate"):
        sys.stderr.write("usage: hashed_decoder.py IMAGE_DIR [--translate QUERY_FILE]\n")
        return 2
    try:
        image = Image(arguments[0])
        if image.format not in DECODERS:
            raise Unreadable("format %r is not hashed; this decoder reads %s" % (image.format, ", ".join(sorted(DECODERS))))
        table = DECODERS[image.format](image)
        problems = []
        entries = table.decode(problems)
        lookups = 0
        for entry in entries:
            va, size = int(entry["va"], 16), entry["size"]
            found = []
            for probe in (va, va + size - 1):
                lookups += 1
                result = table.lookup(probe)
                found.append(result)
            entry["findable"] = all(result is not None and result[0] == int(entry["at"], 16) for result in found)
            entry["foundBy"] = found[0][1] if found[0] is not None else None
            if not entry["findable"]:
                problems.append({"problem": "entry %s (%d bytes) at %s is not what a lookup of its first and last byte finds" % (entry["va"], size, entry["at"]),
                                 "lookups": [None if result is None else hex(result[0]) for result in found]})
        found_by = {}
        for entry in entries:
            found_by[entry["foundBy"]] = found_by.get(entry["foundBy"], 0) + 1
            sys.stdout.write(json.dumps(entry, sort_keys=True) + "\n")
        queries = 0
        by_location = {int(entry["at"], 16): entry for entry in entries}
        if len(arguments) == 3:
            with open(arguments[2], "r") as handle:
                for line in handle:
                    text = line.strip()
                    if not text:
                        continue
                    va = number(text, "query")
                    result = table.lookup(va)
                    queries += 1
                    answer = {"query": hex(va), "at": None, "foundBy": None, "pa": None}
                    if result is not None and result[0] in by_location:
                        entry = by_location[result[0]]
                        answer.update({"at": hex(result[0]), "foundBy": result[1],
                                       "pa": hex(int(entry["pa"], 16) + va - int(entry["va"], 16))})
                    elif result is not None:
                        problems.append({"problem": "query %s finds 0x%x, which holds no decodable entry" % (hex(va), result[0])})
                    sys.stdout.write(json.dumps(answer, sort_keys=True) + "\n")
        declared = image.manifest.get("entries")
        if declared != len(entries):
            problems.append({"problem": "the manifest declares %r entries, the table holds %d" % (declared, len(entries))})
        for problem in problems:
            sys.stdout.write(json.dumps(problem, sort_keys=True) + "\n")
        sys.stdout.write(json.dumps({"summary": {"format": image.format, "entries": len(entries), "declaredEntries": declared,
                                                 "lookups": lookups, "queries": queries, "problems": len(problems),
                                                 "foundBy": found_by,
                                                 "chained": sum(1 for entry in entries if entry.get("chainPosition", 0) > 0)}}) + "\n")
        return 1 if problems else 0
    except (Unreadable, OSError) as error:
        sys.stderr.write("hashed_decoder: %s\n" % error)
        return 2
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        # A manifest field of the wrong JSON type (a list where an object belongs, ...).
        sys.stderr.write("hashed_decoder: malformed manifest (%s: %s)\n" % (type(error).__name__, error))
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
