// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-cases.c - the names of what syncdax-bench measures: the fault
 * cases (each a file kind, mapping, page size and variant) and the persist
 * methods.  The names are a stable interface (--cases, the JSON): add,
 * never rename.  Data only, so that the command line, the benchmarks and
 * bench-json.c can all use it without calling each other.
 */
#include "bench.h"

const char *const bench_file_names[BF_NFILE] = { "prealloc", "sparse", "falloc" };
const char *const bench_map_names[BM_NMAP] = { "plain", "mapsync", "flag" };
const char *const bench_page_names[BP_NPAGE] = { "4k", "2m" };
const char *const bench_variant_names[BV_NVARIANT] = { "sequential", "random", "prepared" };

const struct bench_fault_def bench_fault_defs[BENCH_FAULT_NCASES] = {
	/*
	 * In the order they run: page size, file kind, variant, mapping.  The
	 * three mappings of a group follow each other, plain first: run_cases()
	 * rotates them within each group from round to round.
	 */
	{ BF_PREALLOC, BM_PLAIN, BP_4K, BV_SEQ },	/* prealloc-plain-4k */
	{ BF_PREALLOC, BM_MAPSYNC, BP_4K, BV_SEQ },	/* prealloc-mapsync-4k */
	{ BF_PREALLOC, BM_FLAG, BP_4K, BV_SEQ },	/* prealloc-flag-4k */
	{ BF_SPARSE, BM_PLAIN, BP_4K, BV_SEQ },	/* sparse-plain-4k */
	{ BF_SPARSE, BM_MAPSYNC, BP_4K, BV_SEQ },	/* sparse-mapsync-4k */
	{ BF_SPARSE, BM_FLAG, BP_4K, BV_SEQ },	/* sparse-flag-4k */
	{ BF_SPARSE, BM_PLAIN, BP_4K, BV_RANDOM },	/* sparse-plain-4k-random */
	{ BF_SPARSE, BM_MAPSYNC, BP_4K, BV_RANDOM },	/* sparse-mapsync-4k-random */
	{ BF_SPARSE, BM_FLAG, BP_4K, BV_RANDOM },	/* sparse-flag-4k-random */
	{ BF_SPARSE, BM_PLAIN, BP_4K, BV_PREPARED },	/* sparse-plain-4k-prepared */
	{ BF_SPARSE, BM_MAPSYNC, BP_4K, BV_PREPARED },	/* sparse-mapsync-4k-prepared */
	{ BF_SPARSE, BM_FLAG, BP_4K, BV_PREPARED },	/* sparse-flag-4k-prepared */
	{ BF_FALLOC, BM_PLAIN, BP_4K, BV_SEQ },	/* falloc-plain-4k */
	{ BF_FALLOC, BM_MAPSYNC, BP_4K, BV_SEQ },	/* falloc-mapsync-4k */
	{ BF_FALLOC, BM_FLAG, BP_4K, BV_SEQ },	/* falloc-flag-4k */
	{ BF_FALLOC, BM_PLAIN, BP_4K, BV_RANDOM },	/* falloc-plain-4k-random */
	{ BF_FALLOC, BM_MAPSYNC, BP_4K, BV_RANDOM },	/* falloc-mapsync-4k-random */
	{ BF_FALLOC, BM_FLAG, BP_4K, BV_RANDOM },	/* falloc-flag-4k-random */
	{ BF_FALLOC, BM_PLAIN, BP_4K, BV_PREPARED },	/* falloc-plain-4k-prepared */
	{ BF_FALLOC, BM_MAPSYNC, BP_4K, BV_PREPARED },	/* falloc-mapsync-4k-prepared */
	{ BF_FALLOC, BM_FLAG, BP_4K, BV_PREPARED },	/* falloc-flag-4k-prepared */
	{ BF_PREALLOC, BM_PLAIN, BP_2M, BV_SEQ },	/* prealloc-plain-2m */
	{ BF_PREALLOC, BM_MAPSYNC, BP_2M, BV_SEQ },	/* prealloc-mapsync-2m */
	{ BF_PREALLOC, BM_FLAG, BP_2M, BV_SEQ },	/* prealloc-flag-2m */
	{ BF_SPARSE, BM_PLAIN, BP_2M, BV_SEQ },	/* sparse-plain-2m */
	{ BF_SPARSE, BM_MAPSYNC, BP_2M, BV_SEQ },	/* sparse-mapsync-2m */
	{ BF_SPARSE, BM_FLAG, BP_2M, BV_SEQ },	/* sparse-flag-2m */
	{ BF_SPARSE, BM_PLAIN, BP_2M, BV_RANDOM },	/* sparse-plain-2m-random */
	{ BF_SPARSE, BM_MAPSYNC, BP_2M, BV_RANDOM },	/* sparse-mapsync-2m-random */
	{ BF_SPARSE, BM_FLAG, BP_2M, BV_RANDOM },	/* sparse-flag-2m-random */
	{ BF_SPARSE, BM_PLAIN, BP_2M, BV_PREPARED },	/* sparse-plain-2m-prepared */
	{ BF_SPARSE, BM_MAPSYNC, BP_2M, BV_PREPARED },	/* sparse-mapsync-2m-prepared */
	{ BF_SPARSE, BM_FLAG, BP_2M, BV_PREPARED },	/* sparse-flag-2m-prepared */
	{ BF_FALLOC, BM_PLAIN, BP_2M, BV_SEQ },	/* falloc-plain-2m */
	{ BF_FALLOC, BM_MAPSYNC, BP_2M, BV_SEQ },	/* falloc-mapsync-2m */
	{ BF_FALLOC, BM_FLAG, BP_2M, BV_SEQ },	/* falloc-flag-2m */
	{ BF_FALLOC, BM_PLAIN, BP_2M, BV_RANDOM },	/* falloc-plain-2m-random */
	{ BF_FALLOC, BM_MAPSYNC, BP_2M, BV_RANDOM },	/* falloc-mapsync-2m-random */
	{ BF_FALLOC, BM_FLAG, BP_2M, BV_RANDOM },	/* falloc-flag-2m-random */
	{ BF_FALLOC, BM_PLAIN, BP_2M, BV_PREPARED },	/* falloc-plain-2m-prepared */
	{ BF_FALLOC, BM_MAPSYNC, BP_2M, BV_PREPARED },	/* falloc-mapsync-2m-prepared */
	{ BF_FALLOC, BM_FLAG, BP_2M, BV_PREPARED },	/* falloc-flag-2m-prepared */
};

const char *const bench_fault_names[BENCH_FAULT_NCASES] = {
	"prealloc-plain-4k", "prealloc-mapsync-4k", "prealloc-flag-4k",
	"sparse-plain-4k", "sparse-mapsync-4k", "sparse-flag-4k",
	"sparse-plain-4k-random", "sparse-mapsync-4k-random", "sparse-flag-4k-random",
	"sparse-plain-4k-prepared", "sparse-mapsync-4k-prepared", "sparse-flag-4k-prepared",
	"falloc-plain-4k", "falloc-mapsync-4k", "falloc-flag-4k",
	"falloc-plain-4k-random", "falloc-mapsync-4k-random", "falloc-flag-4k-random",
	"falloc-plain-4k-prepared", "falloc-mapsync-4k-prepared", "falloc-flag-4k-prepared",
	"prealloc-plain-2m", "prealloc-mapsync-2m", "prealloc-flag-2m",
	"sparse-plain-2m", "sparse-mapsync-2m", "sparse-flag-2m",
	"sparse-plain-2m-random", "sparse-mapsync-2m-random", "sparse-flag-2m-random",
	"sparse-plain-2m-prepared", "sparse-mapsync-2m-prepared", "sparse-flag-2m-prepared",
	"falloc-plain-2m", "falloc-mapsync-2m", "falloc-flag-2m",
	"falloc-plain-2m-random", "falloc-mapsync-2m-random", "falloc-flag-2m-random",
	"falloc-plain-2m-prepared", "falloc-mapsync-2m-prepared", "falloc-flag-2m-prepared",
};
const size_t bench_fault_nnames = BENCH_FAULT_NCASES;

const char *const bench_persist_names[PM_NMETHOD] = {
	"msync", "fdatasync", "dsync", "mapsync", "flag",
};
const size_t bench_persist_nnames = PM_NMETHOD;
