-- Address columns meant for people sort in address order as text too: zero-padded, 16 hexadecimal
-- digits (0x00007f0000001000), so ORDER BY virtualAddress, pandas and Datasette agree with ORDER BY vpn.
-- The views of 0002 are dropped and created again with the same columns; only the text changes.
-- An area that ends at the top of the address space (2^64) ends at 0x10000000000000000.

DROP VIEW liveEntry;
CREATE VIEW liveEntry AS
SELECT t.name AS setName, printf('0x%016x', e.vpn << 12) AS virtualAddress, printf('0x%016x', e.pfn << 12) AS physicalAddress,
    1 << e.pageShift AS pageBytes, p.name AS protection, c.name AS cacheMode, e.setId = 1 AS isGlobal,
    coalesce(s.accessed, 0) AS accessed, coalesce(s.dirty, 0) AS dirty, e.born AS bornGeneration, e.vpn, e.pfn
FROM mmuEntry e
JOIN translationSet t ON t.id = e.setId
JOIN protectionName p ON p.protection = e.protection
JOIN cacheModeName c ON c.cacheMode = e.cacheMode
LEFT JOIN entryState s ON s.setId = e.setId AND s.vpn = e.vpn
WHERE e.died IS NULL;

DROP VIEW entryVersion;
CREATE VIEW entryVersion AS
SELECT t.name AS setName, printf('0x%016x', e.vpn << 12) AS virtualAddress, printf('0x%016x', e.pfn << 12) AS physicalAddress,
    1 << e.pageShift AS pageBytes, p.name AS protection, c.name AS cacheMode, e.born, e.died, e.vpn, e.pfn
FROM mmuEntry e
JOIN translationSet t ON t.id = e.setId
JOIN protectionName p ON p.protection = e.protection
JOIN cacheModeName c ON c.cacheMode = e.cacheMode;

DROP VIEW pageHeat;
CREATE VIEW pageHeat AS
SELECT t.name AS setName, printf('0x%016x', a.vpn << 12) AS virtualAddress, a.accesses, a.writes, a.faults,
    a.firstGeneration, a.lastGeneration, a.vpn
FROM pageActivity a JOIN translationSet t ON t.id = a.setId;

DROP VIEW liveArea;
CREATE VIEW liveArea AS
SELECT t.name AS setName, printf('0x%016x', a.vpn << 12) AS startAddress,
    CASE WHEN a.vpn + a.pageCount = 1 << 52 THEN '0x10000000000000000' ELSE printf('0x%016x', (a.vpn + a.pageCount) << 12) END AS endAddress,
    a.pageCount << 12 AS bytes, p.name AS protection, a.kind, a.isShared, a.name
FROM memoryArea a JOIN translationSet t ON t.id = a.setId JOIN protectionName p ON p.protection = a.protection
WHERE a.died IS NULL;
