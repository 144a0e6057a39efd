// SPDX-License-Identifier: GPL-2.0
/*
 * badioctl - feed FS_IOC_GETSYNCFAULT / FS_IOC_SETSYNCFAULT bad input
 * (tests/vm/badinput.bats).  Talks to the kernel directly, not through
 * libsyncdax, so that it can send what the library would refuse.
 *
 *   badioctl ebadf FILE
 *	GET and SET on fd -1, on a closed fd and on an O_PATH fd of FILE
 *	must fail with EBADF, and FILE's flag must not change.
 *   badioctl fuzz DIR SEED ITERS
 *	ITERS random calls: random op (GET/SET), random struct contents
 *	(flag bits, state, reserved words), sometimes a bad pointer, on a
 *	random fd: regular files and a directory on DIR (owned by root and by
 *	nobody), a fifo, a device node, /proc, a pipe, a socket, a memfd, an
 *	eventfd, O_PATH and closed fds; some calls from an unprivileged
 *	child.  Each result must be success or a defined errno; a success
 *	must leave a consistent state (GET reports what SET asked, sf_state
 *	valid, reserved zero), a failure must leave the flag unchanged, and
 *	where the answer is fully defined it must be exactly that one.
 *	Prints a summary per errno; exit 1 on the first violation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

/* the kernel interface, for hosts whose <linux/fs.h> predates it */
#include "uapi-syncfault.h"

#define NOBODY 65534

#include "xorshift.h"

static int get(int fd, struct fs_syncfault *sf)
{
	memset(sf, 0xa5, sizeof(*sf));
	return ioctl(fd, FS_IOC_GETSYNCFAULT, sf) ? -errno : 0;
}

static int expect_ebadf(int fd, const char *what)
{
	struct fs_syncfault sf = { 0 };
	int bad = 0;

	if (ioctl(fd, FS_IOC_GETSYNCFAULT, &sf) != -1 || errno != EBADF) {
		fprintf(stderr, "badioctl: GET on %s: expected EBADF, got %s\n", what, strerror(errno));
		bad = 1;
	}
	sf.sf_flags = FS_SYNCFAULT_ON;
	if (ioctl(fd, FS_IOC_SETSYNCFAULT, &sf) != -1 || errno != EBADF) {
		fprintf(stderr, "badioctl: SET on %s: expected EBADF, got %s\n", what, strerror(errno));
		bad = 1;
	}
	if (!bad)
		printf("%s: EBADF for GET and SET\n", what);
	return bad;
}

static int do_ebadf(const char *path)
{
	struct fs_syncfault before, after;
	int fd, pfd, bad = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0 || get(fd, &before)) {
		perror(path);
		return 1;
	}
	bad |= expect_ebadf(-1, "fd -1");
	pfd = open(path, O_RDONLY);
	close(pfd);
	bad |= expect_ebadf(pfd, "a closed fd");
	bad |= expect_ebadf(1 << 20, "fd 1048576");
	pfd = open(path, O_PATH);
	if (pfd < 0) {
		perror(path);
		return 1;
	}
	bad |= expect_ebadf(pfd, "an O_PATH fd");
	close(pfd);
	if (get(fd, &after) || after.sf_flags != before.sf_flags) {
		fprintf(stderr, "badioctl: %s: the flag changed\n", path);
		bad = 1;
	}
	close(fd);
	return bad;
}

enum kind { K_FILE, K_FILE_NOBODY, K_DIR, K_FILE_RDONLY, K_FIFO, K_DEV, K_PROC,
	    K_PIPE, K_SOCKET, K_MEMFD, K_EVENTFD, K_OPATH, K_CLOSED, K_NKINDS };
static const char *kname[] = { "file", "file(nobody)", "dir", "file(O_RDONLY)", "fifo",
	"chardev", "procfs", "pipe", "socket", "memfd", "eventfd", "O_PATH", "closed" };

struct target {
	int fd;
	int flagcheck;		/* a regular file or dir on DIR: the flag can be checked */
	int owner_root;
};

static int errcount[4096], okcount;

static int allowed(int e)
{
	switch (e) {
	case EBADF: case EFAULT: case EINVAL: case EPERM: case EROFS:
	case EOPNOTSUPP: case ENOTTY: case EACCES:
		return 1;
	}
	return 0;
}

static int violation(long it, const char *kn, const char *msg, int e)
{
	fprintf(stderr, "badioctl: iteration %ld on %s: %s (%s)\n", it, kn, msg, e ? strerror(e) : "success");
	return 1;
}

/* One call; returns 0 when the result is acceptable. */
static int one(long it, enum kind k, struct target *t, int unpriv)
{
	struct fs_syncfault sf, before, after;
	void *arg = &sf;
	int op_set = (int)(rnd() & 1), badptr = (rnd() % 16) == 0;
	int bits_bad = 0, res_bad = 0, e, rc, pre;
	uint64_t r = rnd();

	memset(&sf, 0, sizeof(sf));
	switch (r % 6) {
	case 0: sf.sf_flags = 0; break;
	case 1: case 2: sf.sf_flags = FS_SYNCFAULT_ON; break;
	case 3: sf.sf_flags = (uint32_t)rnd(); break;
	case 4: sf.sf_flags = 1u << (rnd() % 32); break;
	default: sf.sf_flags = 0xffffffffu; break;
	}
	sf.sf_state = (rnd() & 1) ? 0 : (uint32_t)rnd();
	if (rnd() % 4 == 0)
		sf.sf_reserved[rnd() & 1] = (rnd() & 1) ? rnd() : 1;
	bits_bad = (sf.sf_flags & ~FS_SYNCFAULT_ON) != 0;
	res_bad = sf.sf_reserved[0] || sf.sf_reserved[1];
	if (badptr)
		arg = (rnd() & 1) ? NULL : (void *)(uintptr_t)0x10;

	pre = t->flagcheck ? get(t->fd, &before) : -1;
	if (t->flagcheck && pre)
		return violation(it, kname[k], "GET before the call failed", -pre);

	rc = ioctl(t->fd, op_set ? FS_IOC_SETSYNCFAULT : FS_IOC_GETSYNCFAULT, arg);
	e = rc ? errno : 0;
	if (rc && !allowed(e))
		return violation(it, kname[k], "undefined errno", e);
	if (e < 4096)
		errcount[e]++;
	if (!rc)
		okcount++;

	/* fully defined answers */
	if ((k == K_OPATH || k == K_CLOSED) && e != EBADF)
		return violation(it, kname[k], "expected EBADF", e);
	if (badptr && (k == K_FILE || k == K_DIR) && !unpriv && e != EFAULT &&
	    !(op_set && e == EINVAL))
		return violation(it, kname[k], "expected EFAULT for a bad pointer", e);
	if (!badptr && (k == K_FILE || k == K_DIR || k == K_FILE_RDONLY) && !unpriv) {
		if (op_set && (bits_bad || res_bad) && e != EINVAL)
			return violation(it, kname[k], "expected EINVAL for reserved bits", e);
		if ((!op_set || (!bits_bad && !res_bad)) && e)
			return violation(it, kname[k], "expected success", e);
	}
	if (!badptr && unpriv && t->flagcheck && op_set && t->owner_root && !rc)
		return violation(it, kname[k], "unprivileged SET on root's file succeeded", 0);
	if (!badptr && unpriv && t->flagcheck && op_set && t->owner_root &&
	    e != EPERM && e != EINVAL)
		return violation(it, kname[k], "expected EPERM or EINVAL", e);

	/* consistent state */
	if (!rc && !op_set) {
		if (sf.sf_flags & ~FS_SYNCFAULT_ON)
			return violation(it, kname[k], "GET returned unknown sf_flags bits", 0);
		if (sf.sf_state & ~(FS_SYNCFAULT_STATE_DAX | FS_SYNCFAULT_STATE_ACTIVE))
			return violation(it, kname[k], "GET returned unknown sf_state bits", 0);
		if ((sf.sf_state & FS_SYNCFAULT_STATE_ACTIVE) &&
		    (!(sf.sf_state & FS_SYNCFAULT_STATE_DAX) || !(sf.sf_flags & FS_SYNCFAULT_ON)))
			return violation(it, kname[k], "GET: ACTIVE without DAX and flag", 0);
		if (sf.sf_reserved[0] || sf.sf_reserved[1])
			return violation(it, kname[k], "GET left sf_reserved non-zero", 0);
	}
	if (t->flagcheck) {
		if (get(t->fd, &after))
			return violation(it, kname[k], "GET after the call failed", errno);
		if (op_set && !rc && after.sf_flags != (sf.sf_flags & FS_SYNCFAULT_ON))
			return violation(it, kname[k], "SET succeeded but GET disagrees", 0);
		if ((!op_set || rc) && after.sf_flags != before.sf_flags)
			return violation(it, kname[k], "the flag changed without a successful SET", e);
	}
	return 0;
}

static int do_fuzz(const char *dir, uint64_t seed, long iters)
{
	struct target t[K_NKINDS];
	char p[4096];
	int sv[2], pp[2], k;
	long it;

	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	printf("badioctl fuzz: seed %llu, %ld iterations\n", (unsigned long long)seed, iters);
	memset(t, 0, sizeof(t));
	snprintf(p, sizeof(p), "%s/file", dir);
	t[K_FILE].fd = open(p, O_RDWR | O_CREAT, 0644);
	t[K_FILE].flagcheck = t[K_FILE].owner_root = 1;
	t[K_FILE_RDONLY].fd = open(p, O_RDONLY);
	t[K_FILE_RDONLY].flagcheck = t[K_FILE_RDONLY].owner_root = 1;
	snprintf(p, sizeof(p), "%s/nobody", dir);
	t[K_FILE_NOBODY].fd = open(p, O_RDWR | O_CREAT, 0666);
	if (fchown(t[K_FILE_NOBODY].fd, NOBODY, NOBODY))
		perror("fchown");
	t[K_FILE_NOBODY].flagcheck = 1;
	snprintf(p, sizeof(p), "%s/dir", dir);
	mkdir(p, 0755);
	t[K_DIR].fd = open(p, O_RDONLY | O_DIRECTORY);
	t[K_DIR].flagcheck = t[K_DIR].owner_root = 1;
	snprintf(p, sizeof(p), "%s/fifo", dir);
	mkfifo(p, 0644);
	t[K_FIFO].fd = open(p, O_RDONLY | O_NONBLOCK);
	snprintf(p, sizeof(p), "%s/null", dir);
	mknod(p, S_IFCHR | 0666, makedev(1, 3));
	t[K_DEV].fd = open(p, O_RDWR);
	t[K_PROC].fd = open("/proc/self/status", O_RDONLY);
	if (pipe(pp))
		perror("pipe");
	t[K_PIPE].fd = pp[0];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		perror("socketpair");
	t[K_SOCKET].fd = sv[0];
	t[K_MEMFD].fd = memfd_create("badioctl", 0);
	t[K_EVENTFD].fd = eventfd(0, 0);
	snprintf(p, sizeof(p), "%s/file", dir);
	t[K_OPATH].fd = open(p, O_PATH);
	t[K_CLOSED].fd = open(p, O_RDONLY);
	close(t[K_CLOSED].fd);
	for (k = 0; k < K_NKINDS; k++) {
		if (k != K_CLOSED && t[k].fd < 0) {
			fprintf(stderr, "badioctl: cannot open a %s: %s\n", kname[k], strerror(errno));
			return 1;
		}
	}

	for (it = 0; it < iters; it++) {
		enum kind kk = (enum kind)(rnd() % K_NKINDS);
		int unpriv = (rnd() % 8) == 0;

		if (!unpriv) {
			if (one(it, kk, &t[kk], 0))
				return 1;
			continue;
		}
		/* an unprivileged caller: same fds, in a child that dropped root */
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
				_exit(3);
			_exit(one(it, kk, &t[kk], 1));
		}
		int st;

		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			return 1;
	}
	printf("badioctl fuzz: %ld calls in the parent succeeded: %d", iters, okcount);
	for (k = 1; k < 4096; k++)
		if (errcount[k])
			printf(", %s: %d", strerrorname_np(k) ? strerrorname_np(k) : "?", errcount[k]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "ebadf"))
		return do_ebadf(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "fuzz"))
		return do_fuzz(argv[2], strtoull(argv[3], NULL, 0), strtol(argv[4], NULL, 0));
	fprintf(stderr, "usage: badioctl ebadf FILE | badioctl fuzz DIR SEED ITERS\n");
	return 2;
}
