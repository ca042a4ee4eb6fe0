/* A tiny program to record with valgrind's lackey: it maps an anonymous buffer, makes one page
   read-only, writes its own memory layout (/proc/self/maps) to the file named by argv[1], then
   fills one 2 MiB-aligned region page by page, half of the next one, reads eight pages many
   times, and finally writes to the read-only page once (a protection fault it recovers from). */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf recover;

static void on_fault(int signal) { (void)signal; siglongjmp(recover, 1); }

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
    const uintptr_t huge = 2u << 20;
    char *raw = mmap(NULL, 6u << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return 1;
    char *region = (char *)(((uintptr_t)raw + huge - 1) & ~(huge - 1));
    char *readOnly = region + 2 * huge;
    mprotect(readOnly, 4096, PROT_READ);
    if (argc > 1) copy_layout(argv[1]);

    for (uintptr_t offset = 0; offset < huge; offset += 4096) region[offset] = 1;
    for (uintptr_t offset = 0; offset < huge / 2; offset += 4096) region[huge + offset] = 2;
    long sum = 0;
    for (int round = 0; round < 100; round++)
        for (int page = 0; page < 8; page++) sum += region[page * 4096 + round];

    signal(SIGSEGV, on_fault);
    if (sigsetjmp(recover, 1) == 0) readOnly[0] = 3;
    return (int)(sum & 1);
}
