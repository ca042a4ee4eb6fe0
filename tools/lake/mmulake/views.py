"""The SQLite views of a run file (migrations/0002 and 0004), over the whole lake, in SQL that DuckDB
and Spark SQL both run unchanged.

Each view has the SQLite view's columns in the same order, with the same values, then `run`, then
for views that show addresses as text their integer byte addresses (`va`, `pa`, unsigned). Joins
match rows of the same run. Shifts are written as products (`x * power(2, n)`), and hexadecimal
addresses from page numbers (`0x` + 13 digits of the vpn + `000`), which needs no 64-bit shift.
"""

LOOKUPS = {
    "protectionName": ("protection", "name", [
        (p, ("r" if p & 1 else "-") + ("w" if p & 2 else "-") + ("x" if p & 4 else "-") + ("u" if p & 8 else "-"))
        for p in range(16)
    ]),
    "cacheModeName": ("cacheMode", "name", [(0, "wb"), (1, "wt"), (2, "wc"), (3, "uc")]),
}


def hex_page(vpn):
    """The text address of page `vpn`, as the SQLite views print it (printf('0x%016x', vpn << 12))."""
    return f"concat('0x', lpad(lower(hex({vpn})), 13, '0'), '000')"


def pow2(shift):
    return f"CAST(power(2, {shift}) AS BIGINT)"


def lookup_sql(name):
    """The constant lookup table `name` (protectionName, cacheModeName) as a SELECT."""
    key, value, rows = LOOKUPS[name]
    values = ", ".join(f"({k}, '{v}')" for k, v in rows)
    return f"SELECT * FROM (VALUES {values}) AS v({key}, {value})"


def committed_sql(source):
    """The rows of `source` (a lake table read by an engine) whose run is committed."""
    return f"SELECT * FROM {source} WHERE run IN (SELECT run FROM runs)"


def _per_set(table, expressions):
    return f"(SELECT run, setId, {expressions} FROM {table} GROUP BY run, setId)"


VIEWS = {
    "liveEntry": f"""
SELECT t.name AS setName, {hex_page('e.vpn')} AS virtualAddress, {hex_page('e.pfn')} AS physicalAddress,
    {pow2('e.pageShift')} AS pageBytes, p.name AS protection, c.name AS cacheMode,
    CASE WHEN e.setId = 1 THEN 1 ELSE 0 END AS isGlobal,
    coalesce(s.accessed, 0) AS accessed, coalesce(s.dirty, 0) AS dirty, e.born AS bornGeneration, e.vpn, e.pfn,
    e.run, e.va, e.pa
FROM mmuEntry e
JOIN translationSet t ON t.run = e.run AND t.id = e.setId
JOIN protectionName p ON p.protection = e.protection
JOIN cacheModeName c ON c.cacheMode = e.cacheMode
LEFT JOIN entryState s ON s.run = e.run AND s.setId = e.setId AND s.vpn = e.vpn
WHERE e.died IS NULL""",
    "entryVersion": f"""
SELECT t.name AS setName, {hex_page('e.vpn')} AS virtualAddress, {hex_page('e.pfn')} AS physicalAddress,
    {pow2('e.pageShift')} AS pageBytes, p.name AS protection, c.name AS cacheMode, e.born, e.died, e.vpn, e.pfn,
    e.run, e.va, e.pa
FROM mmuEntry e
JOIN translationSet t ON t.run = e.run AND t.id = e.setId
JOIN protectionName p ON p.protection = e.protection
JOIN cacheModeName c ON c.cacheMode = e.cacheMode""",
    "setStatistics": f"""
SELECT t.name AS setName, t.architecture, t.headGeneration,
    coalesce(own.entries, 0) AS entries, coalesce(own.bytes, 0) AS bytesMapped,
    coalesce(g.entries, 0) AS globalEntries, coalesce(g.bytes, 0) AS globalBytes,
    coalesce(st.accessed, 0) AS accessed, coalesce(st.dirty, 0) AS dirty,
    t.storedRows, t.storedRows - coalesce(own.entries, 0) AS historyRows,
    coalesce(sn.snapshots, 0) AS snapshots, coalesce(tl.transactions, 0) AS transactions, t.run
FROM translationSet t
LEFT JOIN {_per_set('liveSummary', f"sum(entries) AS entries, sum(entries * {pow2('pageShift')}) AS bytes")} own
    ON own.run = t.run AND own.setId = t.id
LEFT JOIN {_per_set('liveSummary', f"sum(entries) AS entries, sum(entries * {pow2('pageShift')}) AS bytes")} g
    ON g.run = t.run AND g.setId = 1
LEFT JOIN {_per_set('entryState', "sum(CASE WHEN accessed = 1 THEN 1 ELSE 0 END) AS accessed, sum(CASE WHEN dirty = 1 THEN 1 ELSE 0 END) AS dirty")} st
    ON st.run = t.run AND st.setId = t.id
LEFT JOIN {_per_set('snapshot', "count(*) AS snapshots")} sn ON sn.run = t.run AND sn.setId = t.id
LEFT JOIN {_per_set('transactionLog', "count(*) AS transactions")} tl ON tl.run = t.run AND tl.setId = t.id""",
    "pageSizeStatistics": f"""
SELECT t.name AS setName, l.pageShift, {pow2('l.pageShift')} AS pageBytes, sum(l.entries) AS entries,
    sum(l.entries * {pow2('l.pageShift')}) AS bytes, l.run
FROM liveSummary l JOIN translationSet t ON t.run = l.run AND t.id = l.setId
GROUP BY l.run, l.setId, t.name, l.pageShift""",
    "protectionStatistics": f"""
SELECT t.name AS setName, p.name AS protection, sum(l.entries) AS entries,
    sum(l.entries * {pow2('l.pageShift')}) AS bytes, l.run
FROM liveSummary l JOIN translationSet t ON t.run = l.run AND t.id = l.setId
JOIN protectionName p ON p.protection = l.protection
GROUP BY l.run, l.setId, t.name, l.protection, p.name""",
    "pageHeat": f"""
SELECT t.name AS setName, {hex_page('a.vpn')} AS virtualAddress, a.accesses, a.writes, a.faults,
    a.firstGeneration, a.lastGeneration, a.vpn, a.run, a.va
FROM pageActivity a JOIN translationSet t ON t.run = a.run AND t.id = a.setId""",
    "snapshotList": """
SELECT t.name AS setName, s.name AS snapshot, s.generation, s.createdAt, s.run
FROM snapshot s JOIN translationSet t ON t.run = s.run AND t.id = s.setId""",
    "transactionHistory": """
SELECT l.sequence, coalesce(t.name, concat('#', CAST(l.setId AS STRING))) AS setName, l.generation, l.committedAt, l.label,
    l.maps, l.unmaps, l.protects, l.resizes, l.globals, l.copies, l.accesses, l.areas, l.entriesAdded, l.entriesRemoved,
    l.run
FROM transactionLog l LEFT JOIN translationSet t ON t.run = l.run AND t.id = l.setId""",
    "liveArea": f"""
SELECT t.name AS setName, {hex_page('a.vpn')} AS startAddress,
    CASE WHEN a.vpn + a.pageCount = 4503599627370496 THEN '0x10000000000000000'
        ELSE {hex_page('a.vpn + a.pageCount')} END AS endAddress,
    a.pageCount * 4096 AS bytes, p.name AS protection, a.kind, a.isShared, a.name, a.run, a.va
FROM memoryArea a JOIN translationSet t ON t.run = a.run AND t.id = a.setId
JOIN protectionName p ON p.protection = a.protection
WHERE a.died IS NULL""",
}

# The SQLite views' own columns (what a query written for one run file can use), per view.
SQLITE_COLUMNS = {
    "liveEntry": ["setName", "virtualAddress", "physicalAddress", "pageBytes", "protection", "cacheMode", "isGlobal",
                  "accessed", "dirty", "bornGeneration", "vpn", "pfn"],
    "entryVersion": ["setName", "virtualAddress", "physicalAddress", "pageBytes", "protection", "cacheMode", "born",
                     "died", "vpn", "pfn"],
    "setStatistics": ["setName", "architecture", "headGeneration", "entries", "bytesMapped", "globalEntries",
                      "globalBytes", "accessed", "dirty", "storedRows", "historyRows", "snapshots", "transactions"],
    "pageSizeStatistics": ["setName", "pageShift", "pageBytes", "entries", "bytes"],
    "protectionStatistics": ["setName", "protection", "entries", "bytes"],
    "pageHeat": ["setName", "virtualAddress", "accesses", "writes", "faults", "firstGeneration", "lastGeneration", "vpn"],
    "snapshotList": ["setName", "snapshot", "generation", "createdAt"],
    "transactionHistory": ["sequence", "setName", "generation", "committedAt", "label", "maps", "unmaps", "protects",
                           "resizes", "globals", "copies", "accesses", "areas", "entriesAdded", "entriesRemoved"],
    "liveArea": ["setName", "startAddress", "endAddress", "bytes", "protection", "kind", "isShared", "name"],
}
