// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * msync-counter.c - count msync() calls where the library makes them (its
 * call into the C library), for tests/unit/test_msync.c.  Defines msync(),
 * and mmap()/ioctl() for the fakes of a synchronous mapping; every call
 * goes on to the next definition (the C library's).  See msync-counter.h.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "msync-counter.h"
#include "uapi-syncfault.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif

#define MAX_CALLS	4096

static struct msync_call calls[MAX_CALLS];
static unsigned int ncalls;
static int fail_errno, fake_map_sync, fake_flag;

void msync_counter_reset(void)
{
	__atomic_store_n(&ncalls, 0, __ATOMIC_SEQ_CST);
}

unsigned int msync_counter_calls(void)
{
	return __atomic_load_n(&ncalls, __ATOMIC_SEQ_CST);
}

const struct msync_call *msync_counter_call(unsigned int i)
{
	return i < msync_counter_calls() && i < MAX_CALLS ? &calls[i] : NULL;
}

void msync_counter_fail(int err)
{
	fail_errno = err;
}

void msync_counter_fake_map_sync(int on)
{
	fake_map_sync = on;
}

void msync_counter_fake_flag(int on)
{
	fake_flag = on;
}

int msync(void *addr, size_t len, int flags)
{
	static int (*real)(void *, size_t, int);
	unsigned int i = __atomic_fetch_add(&ncalls, 1, __ATOMIC_SEQ_CST);

	if (i < MAX_CALLS)
		calls[i] = (struct msync_call){ (uintptr_t)addr, len, flags };
	if (fail_errno) {
		errno = fail_errno;
		return -1;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "msync");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(addr, len, flags);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "mmap");
	if (!real) {
		errno = ENOSYS;
		return MAP_FAILED;
	}
	if (fake_map_sync && (flags & MAP_SYNC) &&
	    (flags & MAP_SHARED_VALIDATE) == MAP_SHARED_VALIDATE)
		flags = (flags & ~(MAP_SYNC | MAP_SHARED_VALIDATE)) | MAP_SHARED;
	return real(addr, len, prot, flags, fd, off);
}

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fake_flag && request == FS_IOC_GETSYNCFAULT) {
		struct fs_syncfault *sf = arg;

		memset(sf, 0, sizeof(*sf));
		sf->sf_flags = FS_SYNCFAULT_ON;
		sf->sf_state = FS_SYNCFAULT_STATE_DAX | FS_SYNCFAULT_STATE_ACTIVE;
		return 0;
	}
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "ioctl");
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(fd, request, arg);
}
