// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_dispatch.c - which flush instruction sdx_flush()/sdx_persist()
 * execute, on which cache lines, and the fence after them: each choice is
 * forced through the test hook and the instructions are counted as they
 * are executed (test build only: the library sources are compiled in with
 * SYNCDAX_TEST_HOOKS, see libsyncdax/src/test-hooks.h).  Also: with no
 * flush instruction, flush-based persistence fails with EOPNOTSUPP.
 */
#include "test-common.h"

#include <sys/mman.h>
#include <cpuid.h>

#include "test-hooks.h"

#ifndef SYNCDAX_TEST_HOOKS
#error "test_dispatch needs a test build of the library (SYNCDAX_TEST_HOOKS)"
#endif

#define LINE		64
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_EVENTS	1024

static struct {
	int ev;
	uintptr_t addr;
} events[MAX_EVENTS];
static unsigned int nevents, overflow;

static void record(int ev, const void *addr)
{
	if (nevents == MAX_EVENTS) {
		overflow++;
		return;
	}
	events[nevents].ev = ev;
	events[nevents].addr = (uintptr_t)addr;
	nevents++;
}

static int setup(void **state)
{
	(void)state;
	nevents = overflow = 0;
	sdxi_test_event = record;
	sdxi_test_force_insn = -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sdxi_test_event = NULL;
	sdxi_test_force_insn = -1;
	return 0;
}

/* The event a flush instruction choice must produce. */
static int event_of(int insn)
{
	switch (insn) {
	case SDX_FLUSH_CLWB:
		return SDXI_EV_CLWB;
	case SDX_FLUSH_CLFLUSHOPT:
		return SDXI_EV_CLFLUSHOPT;
	case SDX_FLUSH_CLFLUSH:
		return SDXI_EV_CLFLUSH;
	default:
		fail_msg("no event for flush instruction %d", insn);
		return -1;
	}
}

/* Whether this process may execute insn (<cpuid.h>'s names, not the library's). */
static int cpu_has(int insn)
{
	unsigned int a, b, c, d;

	switch (insn) {
	case SDX_FLUSH_CLWB:
		return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_CLWB);
	case SDX_FLUSH_CLFLUSHOPT:
		return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_CLFLUSHOPT);
	case SDX_FLUSH_CLFLUSH:
		return __get_cpuid(1, &a, &b, &c, &d) && (d & (1u << 19));	/* CLFSH */
	default:
		return 0;
	}
}

/* Force insn, or skip the test when this CPU (as the process sees it) lacks it. */
static void force(int insn)
{
	if (!cpu_has(insn))
		skip();
	sdxi_test_force_insn = insn;
	assert_int_equal(sdx_flush_insn(), insn);
}

/*
 * Events [from, from+count) are one ev for each cache line of
 * [p, p+len), lowest first, each line exactly once.
 */
static void assert_lines(unsigned int from, int ev, const char *p, size_t len)
{
	uintptr_t line = (uintptr_t)p / LINE * LINE;
	uintptr_t end = (uintptr_t)p + len;
	unsigned int i = from;

	assert_int_equal(overflow, 0);
	for (; line < end; line += LINE, i++) {
		assert_true(i < nevents);
		assert_int_equal(events[i].ev, ev);
		assert_true(events[i].addr == line);
	}
	assert_int_equal(i, nevents);
}

static char *map_lines(size_t size)
{
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	assert_true(mem != MAP_FAILED);
	memset(mem, 0x33, size);
	return mem;
}

static const struct {
	size_t off, len;
} ranges[] = {
	{ 0, 1 }, { 63, 2 }, { 64, 64 }, { 1, 4095 }, { 100, 5000 },
	{ 4095, 1 }, { 0, 8192 },
};

/* sdx_persist() on a flush mapping: the lines of the range with insn, then one SFENCE. */
static void persist_with(int insn, int mode)
{
	struct sdx_mapping m = { 0 };
	size_t i;
	char *mem;

	force(insn);
	mem = map_lines(8192);
	m.addr = mem;
	m.length = 8192;
	m.mode = mode;
	sdxi_seal_mapping(&m);
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		nevents = 0;
		assert_int_equal(sdx_persist(&m, mem + ranges[i].off, ranges[i].len), 0);
		assert_true(nevents >= 1);
		assert_int_equal(events[nevents - 1].ev, SDXI_EV_SFENCE);
		nevents--;	/* the fence checked, now the lines before it */
		assert_lines(0, event_of(insn), mem + ranges[i].off, ranges[i].len);
	}
	/* flushing never changes the data */
	for (i = 0; i < 8192; i++)
		assert_int_equal(mem[i], 0x33);
	munmap(mem, 8192);
}

static void test_persist_map_sync_executes_clwb(void **state)
{
	(void)state;
	persist_with(SDX_FLUSH_CLWB, SDX_MAP_SYNC);
}

static void test_persist_map_sync_executes_clflushopt(void **state)
{
	(void)state;
	persist_with(SDX_FLUSH_CLFLUSHOPT, SDX_MAP_SYNC);
}

static void test_persist_map_sync_executes_clflush(void **state)
{
	(void)state;
	persist_with(SDX_FLUSH_CLFLUSH, SDX_MAP_SYNC);
}

static void test_persist_flag_mapping_executes_each_insn(void **state)
{
	static const int insns[] = {
		SDX_FLUSH_CLWB, SDX_FLUSH_CLFLUSHOPT, SDX_FLUSH_CLFLUSH,
	};
	size_t i;

	(void)state;
	assert_true(cpu_has(SDX_FLUSH_CLFLUSH));	/* every x86-64 CPU */
	for (i = 0; i < ARRAY_SIZE(insns); i++)
		if (cpu_has(insns[i]))
			persist_with(insns[i], SDX_MAP_FLAG);
}

/* Unforced, the instruction executed is the best one CPUID offers. */
static void test_unforced_choice_is_the_best_the_cpu_has(void **state)
{
	static const int best_first[] = {
		SDX_FLUSH_CLWB, SDX_FLUSH_CLFLUSHOPT, SDX_FLUSH_CLFLUSH,
	};
	struct sdx_mapping m = { 0 };
	int want = SDX_FLUSH_NONE;
	size_t i;
	char *mem;

	(void)state;
	if (getenv("SYNCDAX_NO_CLWB") || getenv("SYNCDAX_NO_CLFLUSHOPT"))
		skip();
	for (i = ARRAY_SIZE(best_first); i-- > 0;)
		if (cpu_has(best_first[i]))
			want = best_first[i];
	assert_int_not_equal(want, SDX_FLUSH_NONE);
	mem = map_lines(4096);
	m.addr = mem;
	m.length = 4096;
	m.mode = SDX_MAP_SYNC;
	sdxi_seal_mapping(&m);
	assert_int_equal(sdx_persist(&m, mem + 10, 200), 0);
	assert_int_equal(nevents, 4 + 1);
	assert_int_equal(events[4].ev, SDXI_EV_SFENCE);
	nevents--;
	assert_lines(0, event_of(want), mem + 10, 200);
	munmap(mem, 4096);
}

/* sdx_flush() flushes the lines and does not fence; sdx_drain() fences once. */
static void test_flush_and_drain_separately(void **state)
{
	char *mem;

	(void)state;
	force(SDX_FLUSH_CLFLUSH);
	mem = map_lines(4096);
	sdx_flush(mem + 130, 700);
	assert_lines(0, SDXI_EV_CLFLUSH, mem + 130, 700);
	nevents = 0;
	sdx_drain();
	assert_int_equal(nevents, 1);
	assert_int_equal(events[0].ev, SDXI_EV_SFENCE);
	nevents = 0;
	sdx_flush(mem, 0);
	sdx_flush(NULL, 64);
	assert_int_equal(nevents, 0);
	munmap(mem, 4096);
}

/* With no flush instruction, flush-based persistence claims nothing. */
static void test_no_flush_insn_persist_fails_eopnotsupp(void **state)
{
	struct sdx_mapping m = { 0 };
	char *mem;

	(void)state;
	sdxi_test_force_insn = SDX_FLUSH_NONE;
	assert_int_equal(sdx_flush_insn(), SDX_FLUSH_NONE);
	mem = map_lines(4096);
	m.addr = mem;
	m.length = 4096;
	m.mode = SDX_MAP_SYNC;
	sdxi_seal_mapping(&m);
	assert_int_equal(sdx_persist(&m, mem, 100), -EOPNOTSUPP);
	m.mode = SDX_MAP_FLAG;
	sdxi_seal_mapping(&m);
	assert_int_equal(sdx_persist(&m, mem + 64, 4032), -EOPNOTSUPP);
	assert_int_equal(nevents, 0);
	/* argument errors still come first, an empty range is still nothing to do */
	assert_int_equal(sdx_persist(&m, mem + 4000, 200), -EINVAL);
	assert_int_equal(sdx_persist(&m, mem, 0), 0);
	/* the msync fallback needs no flush instruction */
	m.mode = SDX_MAP_MSYNC_FALLBACK;
	sdxi_seal_mapping(&m);
	assert_int_equal(sdx_persist(&m, mem + 5, 10), 0);
	assert_int_equal(nevents, 0);
	munmap(mem, 4096);
}

/* The fallback mapping persists with msync() alone: no flush, no fence. */
static void test_msync_fallback_executes_no_flush(void **state)
{
	struct sdx_mapping m = { 0 };
	char *mem;

	(void)state;
	force(SDX_FLUSH_CLFLUSH);
	mem = map_lines(8192);
	m.addr = mem;
	m.length = 8192;
	m.mode = SDX_MAP_MSYNC_FALLBACK;
	sdxi_seal_mapping(&m);
	assert_int_equal(sdx_persist(&m, mem + 4000, 1000), 0);
	assert_int_equal(nevents, 0);
	munmap(mem, 8192);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_persist_map_sync_executes_clwb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persist_map_sync_executes_clflushopt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persist_map_sync_executes_clflush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persist_flag_mapping_executes_each_insn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unforced_choice_is_the_best_the_cpu_has, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_and_drain_separately, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_flush_insn_persist_fails_eopnotsupp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msync_fallback_executes_no_flush, setup, teardown),
	};

	return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
