/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.h - the findings of "syncdaxctl check", shared by check.c (which
 * makes and prints them) and json.c (which turns them into JSON)
 */
#ifndef SYNCDAXCTL_CHECK_H
#define SYNCDAXCTL_CHECK_H

enum check_result {
	CHECK_PASS,	/* this part is as synchronous faults need it */
	CHECK_FAIL,	/* this part stops synchronous faults from working */
	CHECK_UNKNOWN,	/* could not be determined */
	CHECK_INFO,	/* for information, neither pass nor fail */
};

struct check_item {
	const char *name;		/* "kernel", "filesystem", ... */
	enum check_result result;
	char detail[512];		/* what was found */
	char fix[512];			/* how to fix it ("" when nothing to fix) */
};

/* "pass", "fail", "unknown", "info" */
const char *check_result_str(enum check_result r);

#endif /* SYNCDAXCTL_CHECK_H */
