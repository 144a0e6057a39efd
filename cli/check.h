/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.h - the findings of "syncdaxctl check": check-items.c makes them
 * from one probe, check.c prints them, json.c turns them into JSON.  Data
 * only: json.c calls nothing in check*.c.
 */
#ifndef SYNCDAXCTL_CHECK_H
#define SYNCDAXCTL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <syncdax.h>

enum check_result {
	CHECK_PASS,	/* this part is as synchronous faults need it */
	CHECK_FAIL,	/* this part stops synchronous faults from working */
	CHECK_UNKNOWN,	/* could not be determined */
	CHECK_INFO,	/* for information, neither pass nor fail */
};

/* One verdict per environment, the most fundamental obstacle first. */
enum check_verdict {
	VERDICT_READY,		/* the flag gives synchronous faults here */
	VERDICT_NO_KERNEL,	/* kernel lacks sync-fault support */
	VERDICT_FS_UNSUPPORTED,	/* the file system has not opted in (xfs, tmpfs) */
	VERDICT_NO_FEATURE,	/* ext4 without the sync_fault feature */
	VERDICT_NOT_DAX,	/* no DAX here: mount, device, or dax=inode attribute */
	VERDICT_NOT_SYNC,	/* DAX, but the device is not synchronous (virtio-pmem) */
	VERDICT_NO_FLUSH,	/* no cache-line flush instruction on this CPU */
	VERDICT_UNKNOWN,	/* a fact that decides it could not be read */
};

enum {
	CK_KERNEL, CK_FS, CK_FEATURE, CK_MOUNT, CK_DEVICE, CK_NAMESPACE, CK_SYNC,
	CK_CPU, CK_FLAG, CK_FAST_COMMIT, CK_COUNT
};

struct check_item {
	const char *name;		/* "kernel", "filesystem", ... */
	enum check_result result;
	char detail[512];		/* what was found */
	char fix[512];			/* how to fix it ("" when nothing to fix) */
};

struct check_report {
	const char *path;
	bool is_dir;
	const struct sdx_probe *probe;
	struct check_item items[CK_COUNT];
	enum check_verdict verdict;
	char verdict_why[512];		/* the verdict in one sentence */
};

/* Fill r->items and r->verdict from r->probe, r->path and r->is_dir. */
void check_diagnose(struct check_report *r);

#endif /* SYNCDAXCTL_CHECK_H */
