/*
 * Shared by the fuzz targets: the entry points libFuzzer calls, and the
 * check that turns a broken invariant into a crash libFuzzer records.
 */
#ifndef KD_FUZZ_CHECK_H
#define KD_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Unlike assert(), never compiled out: a fuzz target without its checks
 * finds only crashes.
 */
#define FUZZ_CHECK(cond)                                                              \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__,    \
				__LINE__, #cond);                                     \
			abort();                                                      \
		}                                                                     \
	} while (0)

#endif
