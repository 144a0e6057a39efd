// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-json.c - the JSON that syncdax-bench prints (--json): the only
 * file of the benchmark that builds JSON.  It reads the structures of
 * bench.h and calls nothing in bench*.c but the statistics helpers.
 *
 * Field names and types are a stable interface documented in
 * syncdax-bench(8); add fields, never rename or retype them.  Times are
 * microseconds with three decimals; a value that was not measured is null.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <syncdax.h>

#include "bench.h"

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

/* v with the given decimals, or null when v < 0 (not measured). */
static struct json_object *bench_num(double v, int decimals)
{
	char buf[64];

	if (v < 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return json_object_new_double_s(v, buf);
}

static struct json_object *bench_us(double ns)
{
	return bench_num(ns / 1000.0, 3);
}

static struct json_object *bench_count(long v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

static void bench_json_env(struct json_object *o, const struct bench_env *e)
{
	json_object_object_add(o, "benchmark", json_object_new_string(e->bench));
	json_object_object_add(o, "version",
			       json_object_new_string(SYNCDAX_VERSION));
	json_object_object_add(o, "dir", json_object_new_string(e->dir));
	json_object_object_add(o, "filesystem",
			       e->probed ? str_or_null(e->fstype) : NULL);
	json_object_object_add(o, "mount_dax",
			       e->probed ? str_or_null(e->mount_dax) : NULL);
	json_object_object_add(o, "blockdev",
			       e->probed ? str_or_null(e->blockdev) : NULL);
	json_object_object_add(o, "cpu_flush", json_object_new_string(e->cpu_flush));
	json_object_object_add(o, "fast_commit", tristate(e->fast_commit));
	json_object_object_add(o, "syncfault_prealloc_kb", bench_count(e->window_kb));
}

static struct json_object *bench_json_load(const struct bench_load *l)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "cpus", json_object_new_int64(l->cpus));
	json_object_object_add(o, "loadavg_before", bench_num(l->loadavg_before, 2));
	json_object_object_add(o, "loadavg_after", bench_num(l->loadavg_after, 2));
	json_object_object_add(o, "steal_percent", bench_num(l->steal_percent, 2));
	return o;
}

static struct json_object *bench_json_hist(const struct bench_stats *s)
{
	struct json_object *a = json_object_new_array();
	unsigned int k;

	for (k = 0; a && k < s->nbuckets; k++) {
		struct json_object *b = json_object_new_object();

		json_object_object_add(b, "lo_us",
			json_object_new_int64((int64_t)bench_bucket_lo(k)));
		json_object_object_add(b, "hi_us",
			json_object_new_int64((int64_t)bench_bucket_hi(k)));
		json_object_object_add(b, "count",
			json_object_new_int64((int64_t)s->hist[k]));
		json_object_array_add(a, b);
	}
	return a;
}

/* The latencies, the journal and the blocks of a case that ran. */
static void bench_json_case_results(struct json_object *o,
				    const struct bench_fault_case *c,
				    bool samples)
{
	bool ok = c->status == BENCH_OK;
	const struct bench_stats *s = &c->st;
	size_t n = ok ? s->n : 0;

	json_object_object_add(o, "faults", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "min_us", ok ? bench_us((double)s->min) : NULL);
	json_object_object_add(o, "avg_us", ok ? bench_us(s->avg) : NULL);
	json_object_object_add(o, "p50_us", ok ? bench_us((double)s->p50) : NULL);
	json_object_object_add(o, "p99_us", ok ? bench_us((double)s->p99) : NULL);
	json_object_object_add(o, "max_us", ok ? bench_us((double)s->max) : NULL);
	json_object_object_add(o, "prepare_us", ok && c->variant == BV_PREPARED ?
			       bench_us((double)c->prepare_ns) : NULL);
	json_object_object_add(o, "journal_commits",
			       ok ? bench_count(c->commits.commits) : NULL);
	json_object_object_add(o, "journal_commits_per_512", ok ?
		bench_num(bench_per_faults(c->commits.commits, n), 1) : NULL);
	json_object_object_add(o, "fast_commits",
			       ok ? bench_count(c->commits.fast_commits) : NULL);
	json_object_object_add(o, "fast_commits_per_512", ok ?
		bench_num(bench_per_faults(c->commits.fast_commits, n), 1) : NULL);
	json_object_object_add(o, "fc_ineligible",
			       ok ? bench_count(c->commits.fc_ineligible) : NULL);
	json_object_object_add(o, "blocks_touched",
			       ok ? bench_count(c->blocks_touched) : NULL);
	json_object_object_add(o, "blocks_allocated",
			       ok ? bench_count(c->blocks_allocated) : NULL);
	json_object_object_add(o, "blocks_written",
			       ok ? bench_count(c->blocks_written) : NULL);
	json_object_object_add(o, "blocks_beyond_touched", ok && c->beyond_known ?
			       json_object_new_int64(c->blocks_beyond) : NULL);
	json_object_object_add(o, "histogram", ok ? bench_json_hist(s) :
			       json_object_new_array());
	if (samples) {
		struct json_object *a = json_object_new_array();
		size_t i;

		for (i = 0; i < n; i++)
			json_object_array_add(a, bench_us((double)c->ns[i]));
		json_object_object_add(o, "samples_us", a);
	}
}

static struct json_object *bench_json_case(const struct bench_fault_case *c,
					   bool samples)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "file",
			       json_object_new_string(bench_file_names[c->file]));
	json_object_object_add(o, "mapping",
			       json_object_new_string(bench_map_names[c->map]));
	json_object_object_add(o, "page",
			       json_object_new_string(bench_page_names[c->page]));
	json_object_object_add(o, "order", json_object_new_string(
		c->variant == BV_RANDOM ? "random" : "sequential"));
	json_object_object_add(o, "prepared",
			       json_object_new_boolean(c->variant == BV_PREPARED));
	json_object_object_add(o, "fault_size", json_object_new_int64(
		c->page == BP_2M ? 2 << 20 : 4096));
	json_object_object_add(o, "file_size", c->status == BENCH_OK ?
			       json_object_new_int64((int64_t)c->file_size) : NULL);
	json_object_object_add(o, "status",
			       json_object_new_string(bench_status_str(c->status)));
	json_object_object_add(o, "reason", c->status == BENCH_OK ? NULL :
			       json_object_new_string(c->reason));
	bench_json_case_results(o, c, samples);
	return o;
}

static struct json_object *bench_json_groups(const struct bench_fault_run *r)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < r->ngroups; i++) {
		const struct bench_fault_group *g = &r->groups[i];
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "flag_vs_plain_p50",
				       bench_num(g->flag_vs_plain_p50, 3));
		json_object_object_add(e, "mapsync_vs_plain_p50",
				       bench_num(g->mapsync_vs_plain_p50, 3));
		json_object_object_add(e, "flag_vs_mapsync_p50",
				       bench_num(g->flag_vs_mapsync_p50, 3));
		json_object_object_add(e, "flag_vs_plain_p99",
				       bench_num(g->flag_vs_plain_p99, 3));
		if (strstr(g->name, "-prepared"))
			json_object_object_add(e, "flag_vs_unprepared_plain_p50",
				bench_num(g->flag_vs_unprepared_plain_p50, 3));
		json_object_object_add(o, g->name, e);
	}
	return o;
}

struct json_object *json_bench_fault(const struct bench_fault_run *r)
{
	struct json_object *j = json_object_new_object();
	struct json_object *a = json_object_new_array();
	size_t i;

	bench_json_env(j, &r->env);
	json_object_object_add(j, "count", json_object_new_int64((int64_t)r->n4k));
	json_object_object_add(j, "huge_count", json_object_new_int64((int64_t)r->n2m));
	json_object_object_add(j, "rounds", json_object_new_int64((int64_t)r->rounds));
	json_object_object_add(j, "quick", json_object_new_boolean(r->opts->quick));
	json_object_object_add(j, "seed", json_object_new_uint64(r->opts->seed));
	json_object_object_add(j, "spread", json_object_new_int(BENCH_FAULT_SPREAD));
	json_object_object_add(j, "load", bench_json_load(&r->load));
	for (i = 0; i < BENCH_FAULT_NCASES; i++)
		if (r->cases[i].status != BENCH_UNSELECTED)
			json_object_array_add(a, bench_json_case(&r->cases[i],
							r->opts->samples));
	json_object_object_add(j, "cases", a);
	json_object_object_add(j, "ratios", bench_json_groups(r));
	return j;
}

static struct json_object *bench_json_method(const struct bench_persist_method *m,
					     double flag_ops)
{
	struct json_object *e = json_object_new_object();
	bool ok = m->status == BENCH_OK;

	json_object_object_add(e, "name", json_object_new_string(m->name));
	json_object_object_add(e, "status",
			       json_object_new_string(bench_status_str(m->status)));
	json_object_object_add(e, "reason", ok ? NULL :
			       json_object_new_string(m->reason));
	json_object_object_add(e, "updates",
			       json_object_new_int64(ok ? (int64_t)m->updates : 0));
	json_object_object_add(e, "seconds", ok ? bench_num((double)m->ns / 1e9, 6) : NULL);
	json_object_object_add(e, "ops_per_sec", ok ? bench_num(m->ops_per_sec, 1) : NULL);
	json_object_object_add(e, "avg_us", ok ?
			       bench_us((double)m->ns / (double)m->updates) : NULL);
	json_object_object_add(e, "journal_commits", ok ? bench_count(m->commits) : NULL);
	json_object_object_add(e, "ratio_to_flag", ok ?
			       bench_num(bench_ratio(m->ops_per_sec, flag_ops), 4) : NULL);
	return e;
}

struct json_object *json_bench_persist(const struct bench_persist_run *r)
{
	struct json_object *j = json_object_new_object();
	struct json_object *a = json_object_new_array();
	int i;

	bench_json_env(j, &r->env);
	json_object_object_add(j, "count", json_object_new_int64((int64_t)r->count));
	json_object_object_add(j, "update_size",
			       json_object_new_int(BENCH_UPDATE_SIZE));
	json_object_object_add(j, "file_size",
			       json_object_new_int64((int64_t)r->file_size));
	json_object_object_add(j, "seed", json_object_new_uint64(r->opts->seed));
	json_object_object_add(j, "quick", json_object_new_boolean(r->opts->quick));
	json_object_object_add(j, "load", bench_json_load(&r->load));
	for (i = 0; i < PM_NMETHOD; i++)
		if (r->methods[i].status != BENCH_UNSELECTED)
			json_object_array_add(a, bench_json_method(&r->methods[i],
					r->methods[PM_FLAG].ops_per_sec));
	json_object_object_add(j, "methods", a);
	json_object_object_add(j, "flag_vs_msync", bench_num(r->flag_vs_msync, 2));
	return j;
}

int bench_json_print(struct json_object *o)
{
	const char *text;
	int ret = -1;

	if (!o)
		return -1;
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text && printf("%s\n", text) >= 0)
		ret = 0;
	json_object_put(o);
	return ret;
}
