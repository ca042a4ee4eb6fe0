import Testing

/// The tests that arm the fault VFS inside the test process: its schedule is process-global,
/// so they run one at a time (the child-process tests need no such care).
@Suite(.serialized) struct InProcessFaultTests {}
