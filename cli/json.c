// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c - the JSON that "status --json" and "check --json" print
 *
 * Field names and types are a stable interface documented in
 * syncdaxctl(8); add fields, never rename or retype them.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "util.h"

static const struct {
	unsigned int bit;
	const char *code;
} why_codes[] = {
	/* The order reasons are listed in: the most fundamental first. */
	{ SDX_WHY_NO_KERNEL,     "no_kernel" },
	{ SDX_WHY_FS_UNSUPPORTED, "fs_unsupported" },
	{ SDX_WHY_FLAG_CLEAR,    "flag_clear" },
	{ SDX_WHY_NOT_DAX,       "not_dax" },
	{ SDX_WHY_MOUNT_NOT_DAX, "mount_not_dax" },
	{ SDX_WHY_NO_DAX_ATTR,   "no_dax_attr" },
	{ SDX_WHY_DEV_NOT_DAX,   "dev_not_dax" },
	{ SDX_WHY_DEV_NOT_SYNC,  "dev_not_sync" },
	{ SDX_WHY_UNKNOWN,       "unknown" },
};

#define N_WHY (sizeof(why_codes) / sizeof(why_codes[0]))

unsigned int why_bit(unsigned int why_not, size_t *pos)
{
	while (*pos < N_WHY) {
		unsigned int bit = why_codes[(*pos)++].bit;

		if (why_not & bit)
			return bit;
	}
	return 0;
}

const char *why_code(unsigned int bit)
{
	size_t i;

	for (i = 0; i < N_WHY; i++)
		if (why_codes[i].bit == bit)
			return why_codes[i].code;
	return "unknown";
}

/* A string, or JSON null for NULL or "". */
static struct json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/* SDX_YES/SDX_NO/SDX_UNKNOWN as true/false/null. */
static struct json_object *tristate(int v)
{
	if (v == SDX_UNKNOWN)
		return NULL;
	return json_object_new_boolean(v == SDX_YES);
}

static const char *type_name(const struct stat *st)
{
	return S_ISDIR(st->st_mode) ? "directory" : "file";
}

struct json_object *json_status(const char *path, const struct stat *st,
				const struct sdx_state *s, const char *reason)
{
	struct json_object *o = json_object_new_object();
	struct json_object *why = json_object_new_array();
	bool unreadable = s->why_not & (SDX_WHY_NO_KERNEL | SDX_WHY_FS_UNSUPPORTED);
	unsigned int bit;
	size_t pos = 0;

	if (!o || !why) {
		json_object_put(o);
		json_object_put(why);
		return NULL;
	}
	while ((bit = why_bit(s->why_not, &pos)) != 0)
		json_object_array_add(why, json_object_new_string(why_code(bit)));

	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "type",
			       json_object_new_string(type_name(st)));
	/* Without kernel or file system support the flag cannot be read: null. */
	json_object_object_add(o, "flag", unreadable ? NULL :
		json_object_new_boolean(!!(s->flags & SDX_STATE_FLAG)));
	json_object_object_add(o, "dax",
		json_object_new_boolean(!!(s->flags & SDX_STATE_DAX)));
	json_object_object_add(o, "active",
		json_object_new_boolean(!!(s->flags & SDX_STATE_ACTIVE)));
	json_object_object_add(o, "why_not", why);
	json_object_object_add(o, "reason", str_or_null(reason));
	return o;
}

struct json_object *json_path_error(const char *path, int err,
				    const char *explanation)
{
	struct json_object *o = json_object_new_object();
	char msg[1024];

	if (!o)
		return NULL;
	if (explanation)
		snprintf(msg, sizeof(msg), "%s: %s", strerror(err),
			 explanation);
	else
		snprintf(msg, sizeof(msg), "%s", strerror(err));
	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "error", json_object_new_string(msg));
	json_object_object_add(o, "errno", json_object_new_int(err));
	return o;
}

const char *check_result_str(enum check_result r)
{
	switch (r) {
	case CHECK_PASS:
		return "pass";
	case CHECK_FAIL:
		return "fail";
	case CHECK_INFO:
		return "info";
	case CHECK_UNKNOWN:
	default:
		return "unknown";
	}
}

const char *check_verdict_str(enum check_verdict v)
{
	switch (v) {
	case VERDICT_READY:
		return "ready";
	case VERDICT_NO_KERNEL:
		return "no-kernel-support";
	case VERDICT_FS_UNSUPPORTED:
		return "fs-unsupported";
	case VERDICT_NO_FEATURE:
		return "no-sync-fault-feature";
	case VERDICT_NOT_DAX:
		return "not-dax";
	case VERDICT_NOT_SYNC:
		return "not-synchronous";
	case VERDICT_NO_FLUSH:
		return "no-flush-insn";
	case VERDICT_UNKNOWN:
	default:
		return "unknown";
	}
}

static struct json_object *json_check_item(const struct check_item *c)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "result",
		json_object_new_string(check_result_str(c->result)));
	json_object_object_add(o, "detail", json_object_new_string(c->detail));
	json_object_object_add(o, "fix", str_or_null(c->fix));
	return o;
}

/* The mount and device facts of a probe. */
static void add_env(struct json_object *o, const struct sdx_probe *p)
{
	json_object_object_add(o, "filesystem", str_or_null(sdx_probe_get_fstype(p)));
	json_object_object_add(o, "source", str_or_null(sdx_probe_get_source(p)));
	json_object_object_add(o, "mountpoint", str_or_null(sdx_probe_get_target(p)));
	json_object_object_add(o, "options", str_or_null(sdx_probe_get_options(p)));
	json_object_object_add(o, "mount_dax",
		json_object_new_string(sdx_mount_dax_str(sdx_probe_get_mount_dax(p))));
	json_object_object_add(o, "dev_major",
		json_object_new_int64(sdx_probe_get_dev_major(p)));
	json_object_object_add(o, "dev_minor",
		json_object_new_int64(sdx_probe_get_dev_minor(p)));
	json_object_object_add(o, "blockdev", str_or_null(sdx_probe_get_blockdev(p)));
	json_object_object_add(o, "dev_dax", tristate(sdx_probe_get_dev_dax(p)));
	json_object_object_add(o, "dev_sync", tristate(sdx_probe_get_dev_sync(p)));
	json_object_object_add(o, "dev_sync_why",
		str_or_null(sdx_probe_get_dev_sync_why(p)));
	json_object_object_add(o, "namespace", str_or_null(sdx_probe_get_namespace(p)));
	json_object_object_add(o, "ns_mode",
		json_object_new_string(sdx_ns_mode_str(sdx_probe_get_ns_mode(p))));
	json_object_object_add(o, "region", str_or_null(sdx_probe_get_region(p)));
	json_object_object_add(o, "provider", str_or_null(sdx_probe_get_provider(p)));
	json_object_object_add(o, "fast_commit", tristate(sdx_probe_get_fast_commit(p)));
	json_object_object_add(o, "sync_fault", tristate(sdx_probe_get_sync_fault(p)));
	json_object_object_add(o, "kernel_sync_fault",
		tristate(sdx_probe_get_kernel_sync_fault(p)));
	json_object_object_add(o, "cpu_flush",
		json_object_new_string(sdx_flush_insn_str(sdx_probe_get_flush(p))));
}

struct json_object *json_check(const struct check_report *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *checks = json_object_new_array();
	const struct sdx_probe *p = r->probe;
	const struct sdx_state *s = sdx_probe_get_state(p);
	bool state_known = sdx_probe_get_kernel(p) != SDX_UNKNOWN;
	size_t i;

	if (!o || !checks) {
		json_object_put(o);
		json_object_put(checks);
		return NULL;
	}
	for (i = 0; i < CK_COUNT; i++)
		json_object_array_add(checks, json_check_item(&r->items[i]));

	json_object_object_add(o, "path", json_object_new_string(r->path));
	json_object_object_add(o, "ok",
		json_object_new_boolean(r->verdict == VERDICT_READY));
	json_object_object_add(o, "verdict",
		json_object_new_string(check_verdict_str(r->verdict)));
	json_object_object_add(o, "verdict_detail", str_or_null(r->verdict_why));
	json_object_object_add(o, "kernel", tristate(sdx_probe_get_kernel(p)));
	add_env(o, p);
	json_object_object_add(o, "flag", tristate(sdx_probe_get_flag(p)));
	json_object_object_add(o, "dax_attr", tristate(sdx_probe_get_dax_attr(p)));
	json_object_object_add(o, "dax", state_known ?
		json_object_new_boolean(!!(s->flags & SDX_STATE_DAX)) : NULL);
	json_object_object_add(o, "active", state_known ?
		json_object_new_boolean(!!(s->flags & SDX_STATE_ACTIVE)) : NULL);
	json_object_object_add(o, "checks", checks);
	return o;
}

int json_print(struct json_object *o)
{
	const char *text;
	int ret = -1;

	if (!o)
		return -1;
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text && print_to(stdout, "%s\n", text) >= 0)
		ret = 0;
	json_object_put(o);
	return ret;
}
