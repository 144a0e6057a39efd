// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-select.c - which cases (fault) or methods (persist) a run of
 * syncdax-bench selects: --cases, comma-separated fnmatch(3) patterns.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

/* Call fn for each comma-separated pattern of list; stop when it says so. */
static bool each_pattern(const char *list,
			 bool (*fn)(const char *pat, void *data), void *data)
{
	char pat[256];
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (len >= sizeof(pat))
			len = sizeof(pat) - 1;
		memcpy(pat, p, len);
		pat[len] = '\0';
		if (!fn(pat, data))
			return false;
		p += strcspn(p, ",");
		if (!*p)
			return true;
		p++;
	}
}

static bool pattern_misses(const char *pat, void *data)
{
	return *pat == '\0' || fnmatch(pat, (const char *)data, 0) != 0;
}

bool bench_selected(const char *list, const char *name)
{
	if (!list)
		return true;
	/* each_pattern() stops (false) at the first pattern that matches. */
	return !each_pattern(list, pattern_misses, (void *)name);
}

struct valid_ctx {
	const char *const *names;
	size_t n;
	char *bad;
	size_t badsize;
};

static bool pattern_matches_some(const char *pat, void *data)
{
	struct valid_ctx *v = data;
	size_t i;

	for (i = 0; *pat && i < v->n; i++)
		if (fnmatch(pat, v->names[i], 0) == 0)
			return true;
	snprintf(v->bad, v->badsize, "%s", pat);
	return false;
}

bool bench_patterns_valid(const char *list, const char *const *names,
			  size_t n, char *bad, size_t badsize)
{
	struct valid_ctx v = { names, n, bad, badsize };

	return each_pattern(list, pattern_matches_some, &v);
}
