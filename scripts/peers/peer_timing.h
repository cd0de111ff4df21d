// Timing helpers shared by the peer harnesses in this folder (not part of the package).
#ifndef PEER_TIMING_H
#define PEER_TIMING_H
#include <time.h>

// Nanoseconds on a monotonic clock.
static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

// qsort comparator for doubles, ascending.
static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
#endif
