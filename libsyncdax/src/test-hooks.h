/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-hooks.h - seams for the unit tests (persist.c, ctx.c, sync.c); never installed.
 *
 * Only a test build (tests/unit/Makefile) defines SYNCDAX_TEST_HOOKS: it
 * compiles the library sources into the test program, so none of this is
 * in libsyncdax.so (tests/unit/insn-check.sh checks the shipped objects).
 *
 * SYNCDAX_MUTANT (test builds only) removes one step of persistence, for
 * the mutation check (tests/unit/mutation-check.sh): every mutant must
 * make the unit tests fail.
 */
#ifndef SYNCDAX_TEST_HOOKS_H
#define SYNCDAX_TEST_HOOKS_H

#include <stddef.h>

#ifdef SYNCDAX_TEST_HOOKS
/* What persist.c is about to execute; addr is the cache line, or NULL. */
enum {
	SDXI_EV_CLWB,
	SDXI_EV_CLFLUSHOPT,
	SDXI_EV_CLFLUSH,
	SDXI_EV_SFENCE,
	SDXI_EV_COUNT
};

/* Called before each flush or fence instruction; NULL: not called. */
extern void (*sdxi_test_event)(int ev, const void *addr);
/* SDX_FLUSH_* that sdx_flush_insn() returns instead of the CPUID answer; -1: none. */
extern int sdxi_test_force_insn;

struct sdx_ctx;
/* Read sysfs facts under root instead of /sys (a fake tree). */
void sdxi_test_ctx_sysfs(struct sdx_ctx *ctx, const char *root);
/* How many times ctx parsed the mount table. */
unsigned int sdxi_test_ctx_mount_reads(struct sdx_ctx *ctx);
/* The MAP_SYNC trial: 0 real, > 0 fails with that errno, < 0 succeeds. */
extern int sdxi_test_map_sync;
/* What the trial takes statx() to say about DAX (SDX_YES/NO/UNKNOWN); below SDX_UNKNOWN: ask statx(). */
extern int sdxi_test_inode_dax;
/* Seal a hand-made mapping as sdx_map_fd() does (persist.c), to test the flush paths on plain memory. */
struct sdx_mapping;
void sdxi_seal_mapping(struct sdx_mapping *m);

#define SDXI_EVENT(ev, addr)						\
	do {								\
		if (sdxi_test_event)					\
			sdxi_test_event((ev), (addr));			\
	} while (0)
#else
#define SDXI_EVENT(ev, addr)	do { } while (0)
#endif

/* The mutants: SYNCDAX_MUTANT=SDXI_MUTANT_... */
#define SDXI_MUTANT_NOFLUSH	1	/* sdx_persist() does not flush the lines */
#define SDXI_MUTANT_NOFENCE	2	/* sdx_persist() does not fence */
#define SDXI_MUTANT_NOMSYNC	3	/* the fallback does not call msync() */
#define SDXI_MUTANT_NOINSN	4	/* the flush and fence instructions are gone */

#ifdef SYNCDAX_MUTANT
#ifndef SYNCDAX_TEST_HOOKS
#error "SYNCDAX_MUTANT is for test builds (SYNCDAX_TEST_HOOKS) only"
#endif
#define SDXI_MUTANT(m)	(SYNCDAX_MUTANT == SDXI_MUTANT_##m)
#else
#define SDXI_MUTANT(m)	0
#endif

#endif /* SYNCDAX_TEST_HOOKS_H */
