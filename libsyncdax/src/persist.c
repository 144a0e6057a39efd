// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * persist.c - make stores durable from user space: cache-line write-back
 * with the best instruction (CLWB > CLFLUSHOPT > CLFLUSH, probed once with
 * CPUID) and SFENCE; msync() for the fallback mapping.  Where no flush
 * instruction is known, persisting with a cache flush fails (-EOPNOTSUPP)
 * rather than claim durability.
 *
 * struct sdx_mapping is the caller's memory, so its mode could be written
 * by anyone: a struct marked synchronous over plain memory would get
 * "durable" without msync().  sdx_map_fd() therefore seals what it fills
 * in (a keyed tag of addr, length, offset and mode in reserved[0], the
 * key drawn once per process), and sdx_persist() believes the mode only
 * under a matching seal.  This catches forged and altered structs, not a
 * program that reads the key out of its own memory on purpose.
 */
#include "private.h"
#include "test-hooks.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define SDX_X86 1
#endif

#define CACHELINE	64

/* Global state: each written once under pthread_once(), read-only after. */
static pthread_once_t insn_once = PTHREAD_ONCE_INIT;
static int insn = SDX_FLUSH_NONE;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static uint64_t seal_key;

#ifdef SYNCDAX_TEST_HOOKS
void (*sdxi_test_event)(int ev, const void *addr);
int sdxi_test_force_insn = -1;
#endif

/* SYNCDAX_NO_CLWB=1 etc. (as PMDK's PMEM_NO_CLWB): never to upgrade, only to test */
static int env_set(const char *name)
{
	const char *v = secure_getenv(name);

	return v && v[0] == '1' && !v[1];
}

static void probe_insn(void)
{
#ifdef SDX_X86
	unsigned int a, b, c, d;

	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		if ((b & (1u << 24)) && !env_set("SYNCDAX_NO_CLWB")) {
			insn = SDX_FLUSH_CLWB;
			return;
		}
		if ((b & (1u << 23)) && !env_set("SYNCDAX_NO_CLFLUSHOPT")) {
			insn = SDX_FLUSH_CLFLUSHOPT;
			return;
		}
	}
	if (__get_cpuid(1, &a, &b, &c, &d) && (d & (1u << 19)))
		insn = SDX_FLUSH_CLFLUSH;
#endif
}

int sdx_flush_insn(void)
{
	pthread_once(&insn_once, probe_insn);
#ifdef SYNCDAX_TEST_HOOKS
	if (sdxi_test_force_insn >= 0)
		return sdxi_test_force_insn;
#endif
	return insn;
}

#ifdef SDX_X86
/*
 * Encodings as the kernel writes them, for assemblers that predate them;
 * the memory clobber keeps earlier stores to the whole line before them.
 */
static inline void clwb(char *p)
{
	SDXI_EVENT(SDXI_EV_CLWB, p);
#if !SDXI_MUTANT(NOINSN)
	__asm__ volatile(".byte 0x66; xsaveopt %0" : "+m" (*(volatile char *)p) : : "memory");
#endif
}

static inline void clflushopt(char *p)
{
	SDXI_EVENT(SDXI_EV_CLFLUSHOPT, p);
#if !SDXI_MUTANT(NOINSN)
	__asm__ volatile(".byte 0x66; clflush %0" : "+m" (*(volatile char *)p) : : "memory");
#endif
}

static inline void clflush(char *p)
{
	SDXI_EVENT(SDXI_EV_CLFLUSH, p);
#if !SDXI_MUTANT(NOINSN)
	__asm__ volatile("clflush %0" : "+m" (*(volatile char *)p) : : "memory");
#endif
}
#endif

#define FLUSH_LINES(insn_fn, first, last)			\
	do {							\
		uintptr_t p_ = (first);				\
		for (;;) {					\
			insn_fn((char *)p_);			\
			if (p_ == (last))			\
				break;				\
			p_ += CACHELINE;			\
		}						\
	} while (0)

void sdxi_flush(const void *addr, size_t len)
{
	uintptr_t first, last;

	if (!addr || !len)
		return;
	if (len > UINTPTR_MAX - (uintptr_t)addr)
		len = UINTPTR_MAX - (uintptr_t)addr;
	if (!len)
		return;
	first = (uintptr_t)addr & ~(uintptr_t)(CACHELINE - 1);
	last = ((uintptr_t)addr + len - 1) & ~(uintptr_t)(CACHELINE - 1);
#ifdef SDX_X86
	switch (sdx_flush_insn()) {
	case SDX_FLUSH_CLWB:
		FLUSH_LINES(clwb, first, last);
		break;
	case SDX_FLUSH_CLFLUSHOPT:
		FLUSH_LINES(clflushopt, first, last);
		break;
	case SDX_FLUSH_CLFLUSH:
		FLUSH_LINES(clflush, first, last);
		break;
	default:
		break;
	}
#else
	(void)first;
	(void)last;
#endif
}

void sdx_flush(const void *addr, size_t len)
{
	sdxi_flush(addr, len);
}

void sdx_drain(void)
{
#ifdef SDX_X86
	SDXI_EVENT(SDXI_EV_SFENCE, NULL);
#if !SDXI_MUTANT(NOINSN)
	__asm__ volatile("sfence" ::: "memory");
#endif
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* getrandom() where it answers at once; else what differs between runs. */
static void make_key(void)
{
	struct timespec ts;
	uint64_t k = 0;

	if (getrandom(&k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		k = mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
			  (uint64_t)getpid() ^ (uint64_t)(uintptr_t)&k);
	}
	seal_key = k;
}

static uint64_t seal_of(const struct sdx_mapping *m)
{
	uint64_t h;

	pthread_once(&key_once, make_key);
	h = mix64(seal_key ^ (uint64_t)(uintptr_t)m->addr);
	h = mix64(h ^ m->length);
	h = mix64(h ^ m->offset);
	h = mix64(h ^ (uint64_t)(unsigned int)m->mode);
	/* 0 is what a zeroed, never-sealed struct holds */
	return h ? h : 1;
}

void sdxi_seal_mapping(struct sdx_mapping *m)
{
	m->reserved[0] = seal_of(m);
}

int sdxi_mapping_sealed(const struct sdx_mapping *m)
{
	return m && m->addr && m->mode != SDX_MAP_NONE &&
	       m->reserved[0] == seal_of(m);
}

int sdx_persist(const struct sdx_mapping *m, const void *addr, size_t len)
{
	uintptr_t start, end, mstart, mend, page;
	long pagesize;

	/* not made (or changed since) by sdx_map_fd(): its mode is no evidence */
	if (!sdxi_mapping_sealed(m))
		return -EINVAL;
	if (!addr)
		return -EINVAL;
	start = (uintptr_t)addr;
	mstart = (uintptr_t)m->addr;
	mend = mstart + m->length;
	if (start < mstart || start > mend || len > mend - start)
		return -EINVAL;
	if (!len)
		return 0;
	end = start + len;

	switch (m->mode) {
	case SDX_MAP_FLAG:
	case SDX_MAP_SYNC:
		/* nothing to flush with: never report durability */
		if (sdx_flush_insn() == SDX_FLUSH_NONE)
			return -EOPNOTSUPP;
#if !SDXI_MUTANT(NOFLUSH)
		sdxi_flush(addr, len);
#endif
#if !SDXI_MUTANT(NOFENCE)
		sdx_drain();
#endif
		return 0;
	case SDX_MAP_MSYNC_FALLBACK:
		pagesize = sysconf(_SC_PAGESIZE);
		page = (uintptr_t)pagesize;
		start &= ~(page - 1);
#if !SDXI_MUTANT(NOMSYNC)
		if (msync((void *)start, end - start, MS_SYNC) < 0)
			return -errno;
#else
		(void)end;
#endif
		return 0;
	default:
		return -EINVAL;
	}
}
