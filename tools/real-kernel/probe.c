/* The guest's test process: maps and touches memory, prints its own /proc/self/maps and every
 * present page's VA -> PFN (from /proc/self/pagemap) on the console, spins in user space until a
 * line arrives on standard input, then changes its mappings (unmaps, protects, maps) and prints
 * again. Every page is locked (mlockall) so that nothing but the program's own changes moves
 * between the two reports. Built with gcc -static by tools/real-kernel/guest.py. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static volatile uint64_t sink;

static void report(int phase) {
    char line[512];
    FILE *maps = fopen("/proc/self/maps", "r");
    int pagemap = open("/proc/self/pagemap", O_RDONLY);
    if (!maps || pagemap < 0) { perror("probe: /proc/self"); exit(1); }
    static char areas[256][512];
    int count = 0;
    while (count < 256 && fgets(line, sizeof line, maps)) {
        line[strcspn(line, "\n")] = 0;
        snprintf(areas[count++], sizeof areas[0], "%s", line);
    }
    fclose(maps);
    for (int i = 0; i < count; i++) printf("MAPS %d %s\n", phase, areas[i]);
    for (int i = 0; i < count; i++) {
        unsigned long start, end;
        if (sscanf(areas[i], "%lx-%lx", &start, &end) != 2) continue;
        if (start >= 0x800000000000UL) continue; /* [vsyscall]: the kernel's page */
        for (unsigned long va = start; va < end; va += PAGE) {
            uint64_t word;
            if (pread(pagemap, &word, 8, (off_t)(va / PAGE * 8)) != 8) { perror("probe: pagemap"); exit(1); }
            if (word >> 63) printf("PAGE %d %lx %llx\n", phase, va, (unsigned long long)(word & ((1ULL << 55) - 1)));
        }
    }
    close(pagemap);
    printf("READY %d\n", phase);
    fflush(stdout);
}

/* Spins in user space until standard input has a line. */
static void spin(void) {
    struct pollfd input = { .fd = 0, .events = POLLIN };
    for (;;) {
        for (uint64_t i = 0; i < 50000000; i++) sink += i;
        if (poll(&input, 1, 0) > 0) {
            char buffer[64];
            if (read(0, buffer, sizeof buffer) > 0) return;
        }
    }
}

static char *mapped(unsigned long pages, int tag) {
    char *area = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED) { perror("probe: mmap"); exit(1); }
    for (unsigned long i = 0; i < pages; i++) area[i * PAGE] = (char)tag;
    return area;
}

int main(void) {
    if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0) { perror("probe: mlockall"); return 1; }
    char *kept = mapped(32, 'a');
    char *dropped = mapped(16, 'b');
    printf("AREA kept %lx %lu\nAREA dropped %lx %lu\n", (unsigned long)kept, 32UL, (unsigned long)dropped, 16UL);
    report(1);
    spin();
    /* Mapped before the unmap, so that neither the freed addresses nor the freed frames are reused. */
    char *added = mapped(8, 'c');
    if (munmap(dropped + 8 * PAGE, 8 * PAGE) != 0) { perror("probe: munmap"); return 1; }
    if (mprotect(kept, 8 * PAGE, PROT_READ) != 0) { perror("probe: mprotect"); return 1; }
    printf("CHANGE unmapped %lx %lu\nCHANGE protected %lx %lu r\nCHANGE mapped %lx %lu\n",
           (unsigned long)(dropped + 8 * PAGE), 8UL, (unsigned long)kept, 8UL, (unsigned long)added, 8UL);
    report(2);
    spin();
    return 0;
}
