import Testing

/// Every crash test, one at a time: the in-process ones because the fault VFS's schedule is
/// process-global, the child-process ones so that their workers, kill delays and busy
/// timeouts do not compete for this machine's two cores with each other.
@Suite(.serialized) struct CrashTests {}
