/*
 * open_clock: what sk_open costs, the schema check included. A
 * measurement, not a test.
 *
 *   cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Iinclude -o /tmp/open_clock \
 *       tests/bench/open_clock.c build/libscodesk-core.a -lsqlite3
 *   /tmp/open_clock FILE [N]
 *
 * Opens and closes FILE N times (200) in one process and prints the
 * first time (a new process: nothing kept from an earlier open) and the
 * smallest and mean of the others.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "scodesk/store.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: open_clock FILE [N]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 200;
	double first = 0, min = 1e9, sum = 0;
	for (int i = 0; i < n; i++) {
		sk_db *db;
		sk_err err;
		double t0 = now_ms();
		if (sk_open(argv[1], 0, &db, &err) != SK_OK) {
			fprintf(stderr, "open_clock: %s\n", err.msg);
			return 1;
		}
		sk_close(db);
		double ms = now_ms() - t0;
		if (i == 0) {
			first = ms;
			continue;
		}
		if (ms < min)
			min = ms;
		sum += ms;
	}
	printf("first %.2f ms; then smallest %.2f ms, mean %.2f ms over %d\n", first,
	       n > 1 ? min : first, n > 1 ? sum / (n - 1) : first, n > 1 ? n - 1 : 1);
	return 0;
}
