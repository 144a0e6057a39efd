/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - every JSON object syncdaxctl prints is built in json.c; the
 * schema is documented in syncdaxctl(8) and must stay stable.
 */
#ifndef SYNCDAXCTL_JSON_H
#define SYNCDAXCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <syncdax.h>

#include "check.h"

/* One element of "status --json" for a path whose state was read. */
struct json_object *json_status(const char *path, const struct stat *st,
				const struct sdx_state *s, const char *reason);

/* One element of "status --json" for a path that failed (err > 0). */
struct json_object *json_path_error(const char *path, int err,
				    const char *explanation);

/* The object "check --json" prints. */
struct json_object *json_check(const struct check_report *r);

/* "pass", "fail", "unknown", "info" */
const char *check_result_str(enum check_result r);

/* "ready", "no-kernel-support", "fs-unsupported", "not-dax", ... */
const char *check_verdict_str(enum check_verdict v);

/* Print o on stdout followed by a newline and release it; 0 or -1. */
int json_print(struct json_object *o);

/*
 * The SDX_WHY_* bits of why_not one by one in the order they are listed
 * (start with *pos = 0); 0 after the last.
 */
unsigned int why_bit(unsigned int why_not, size_t *pos);

/* Stable names of the SDX_WHY_* bits, e.g. "mount_not_dax". */
const char *why_code(unsigned int bit);

#endif /* SYNCDAXCTL_JSON_H */
