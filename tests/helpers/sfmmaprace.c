// SPDX-License-Identifier: GPL-2.0
/*
 * sfmmaprace - mmap(MAP_SHARED, PROT_WRITE) and munmap a file in a loop
 * while another thread turns the sync-fault flag on and off, and count how
 * each mmap ended (tests/vm/kernel-race.bats).  Setting the flag on a file
 * that is not in DAX mode must refuse existing shared writable mappings
 * (EBUSY) and make later ones fail with EOPNOTSUPP; a mapping attempt that
 * races with the change must get one of those answers, never EPERM.
 *
 *   sfmmaprace FILE MAPS
 *
 * Prints "maps=N ok=N eopnotsupp=N eperm=N other=N sets=N ebusy=N".
 *
 * After each munmap() the mapping thread waits until the toggler has
 * finished at least two more attempts, so that at least one ran entirely
 * while this program held no mapping (otherwise, on a loaded host, every
 * attempt can meet a mapping, get EBUSY, and the flag never changes), and
 * until the flag is off for even and on for odd iterations, so that both
 * outcomes come about equally often.  The next mmap() still races with
 * the attempt that follows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi-syncfault.h"

static int fd;
static atomic_int stop;
static atomic_long attempts;
static atomic_int flag_on;	/* the flag as the last successful set left it */
static long sets, ebusy;

static void *toggler(void *arg)
{
	struct fs_syncfault sf = { 0 };

	(void)arg;
	while (!atomic_load(&stop)) {
		sf.sf_flags ^= FS_SYNCFAULT_ON;
		if (ioctl(fd, FS_IOC_SETSYNCFAULT, &sf) == 0) {
			sets++;
			atomic_store(&flag_on, !!(sf.sf_flags & FS_SYNCFAULT_ON));
		} else if (errno == EBUSY) {
			ebusy++;
		} else {
			perror("sfmmaprace: FS_IOC_SETSYNCFAULT");
			exit(1);
		}
		atomic_fetch_add(&attempts, 1);
	}
	sf.sf_flags = 0;
	while (ioctl(fd, FS_IOC_SETSYNCFAULT, &sf) && errno == EBUSY)
		;
	return NULL;
}

int main(int argc, char **argv)
{
	long maps, i, ok = 0, eopnotsupp = 0, eperm = 0, other = 0;
	pthread_t t;

	if (argc != 3 || (maps = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: sfmmaprace FILE MAPS\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || ftruncate(fd, 4096)) {
		perror(argv[1]);
		return 1;
	}
	if (pthread_create(&t, NULL, toggler, NULL)) {
		fprintf(stderr, "sfmmaprace: pthread_create failed\n");
		return 1;
	}
	for (i = 0; i < maps; i++) {
		long seen = atomic_load(&attempts);
		void *p;

		while (atomic_load(&attempts) < seen + 2 ||
		       atomic_load(&flag_on) != (i & 1))
			sched_yield();
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED) {
			ok++;
			munmap(p, 4096);
		} else if (errno == EOPNOTSUPP) {
			eopnotsupp++;
		} else if (errno == EPERM) {
			eperm++;
		} else {
			other++;
		}
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("maps=%ld ok=%ld eopnotsupp=%ld eperm=%ld other=%ld sets=%ld ebusy=%ld\n",
	       maps, ok, eopnotsupp, eperm, other, sets, ebusy);
	return 0;
}
