/* bench.h: clocks shared by the benchmark programs. */
#ifndef ACHIM_BENCH_H
#define ACHIM_BENCH_H

#include <time.h>

/* Wall-clock seconds on a monotonic clock. */
static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Processor time (user + system) of this process: wall time on a shared
 * machine measures the neighbours too. */
static inline double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
