import mmap, os
buf = mmap.mmap(-1, 4 << 20)
buf[0:4096] = b"x" * 4096
pid = os.fork()
if pid == 0:
    child = mmap.mmap(-1, 1 << 20)
    child.resize(2 << 20)
    child.close()
    os._exit(0)
os.waitpid(pid, 0)
buf.close()
