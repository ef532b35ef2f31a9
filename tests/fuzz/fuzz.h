/*
 * The libFuzzer entry point every tests/fuzz/fuzz_*.c defines. Built with
 * clang -fsanitize=fuzzer by `make fuzz`, or with replay_main.c by the
 * ordinary compiler for `make check` (tests/fuzz/replay.test).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input; aborts (a crash the fuzzer saves) when a property the
 * target asserts does not hold. Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of DATA (SIZE bytes); aborts when out of memory. */
char *fuzz_strndup(const uint8_t *data, size_t size);

#endif
