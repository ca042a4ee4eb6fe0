-- An index of memory area births, as mmuEntryBirth is for entries, so that a diff between two
-- generations of a set reads only the area rows born in between. Rows of generation 0 (a set's
-- first transaction) stay out of it, as they do for entries; queries name the term born > 0.

CREATE INDEX memoryAreaBirth ON memoryArea (setId, born) WHERE born > 0;
