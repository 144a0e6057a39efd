/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * msync-counter.h - the msync() counter of tests/unit/msync-counter.c, as
 * its user sees it.  The counter is a separate object: LD_PRELOADed in
 * front of the C library for the plain and valgrind runs (so the shipped
 * libsyncdax.so is tested unchanged), linked into the program for the
 * ASan run.  The declarations are weak so that a program run without the
 * counter can say so instead of failing to start.
 */
#ifndef SYNCDAX_MSYNC_COUNTER_H
#define SYNCDAX_MSYNC_COUNTER_H

#include <stddef.h>
#include <stdint.h>

struct msync_call {
	uintptr_t addr;
	size_t len;
	int flags;
};

#define MSYNC_COUNTER_WEAK __attribute__((weak))

/* Forget the calls recorded so far. */
MSYNC_COUNTER_WEAK void msync_counter_reset(void);
/* Number of msync() calls since the last reset (also those not recorded). */
MSYNC_COUNTER_WEAK unsigned int msync_counter_calls(void);
/* The i-th recorded call, NULL past the last one recorded. */
MSYNC_COUNTER_WEAK const struct msync_call *msync_counter_call(unsigned int i);
/* Make msync() fail with this errno (0: call the real one). */
MSYNC_COUNTER_WEAK void msync_counter_fail(int err);
/*
 * Act as a synchronous DAX file would on this host: mmap() with
 * MAP_SHARED_VALIDATE | MAP_SYNC succeeds (as a plain MAP_SHARED mapping),
 * and FS_IOC_GETSYNCFAULT reports the flag set and active.
 */
MSYNC_COUNTER_WEAK void msync_counter_fake_map_sync(int on);
MSYNC_COUNTER_WEAK void msync_counter_fake_flag(int on);

#endif /* SYNCDAX_MSYNC_COUNTER_H */
