/* A larger workload to record with valgrind's lackey for benchmarks (not shipped as a fixture:
   its trace is about 25 MB with the default 150,000 updates): maps 32 MiB, saves its layout
   (/proc/self/maps) to argv[1], then makes a few passes over the buffer: a sequential fill, a
   strided read, and random updates (a linear congruential generator) to a hot 4 MiB part;
   argv[2], if given, is the number of random updates (mmu-bench asks for enough to pass 10M
   accesses). */
#include <stdlib.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

static void copy_layout(const char *path) {
    char buffer[4096];
    ssize_t count;
    int in = open("/proc/self/maps", O_RDONLY);
    int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    while ((count = read(in, buffer, sizeof buffer)) > 0) write(out, buffer, (size_t)count);
    close(in);
    close(out);
}

int main(int argc, char **argv) {
    const size_t size = 32u << 20;
    unsigned char *buffer = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buffer == MAP_FAILED) return 1;
    if (argc > 1) copy_layout(argv[1]);
    for (size_t offset = 0; offset < size; offset += 256) buffer[offset] = (unsigned char)offset;
    unsigned long sum = 0;
    for (size_t offset = 0; offset < size; offset += 4096 + 64) sum += buffer[offset];
    uint32_t state = 12345;
    long steps = argc > 2 ? atol(argv[2]) : 150000;
    for (long step = 0; step < steps; step++) {
        state = state * 1103515245u + 12345u;
        buffer[state % (4u << 20)] += 1;
    }
    return (int)(sum & 1);
}
