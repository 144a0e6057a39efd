// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench.c - syncdaxctl bench: reserved; measuring fault costs comes later
 */
#include <getopt.h>
#include <stdio.h>

#include "builtin.h"
#include "util.h"

static const char bench_help[] =
	"Usage: " PROG " bench\n"
	"\n"
	"Reserved for measuring the cost of synchronous page faults; not yet\n"
	"implemented: exits with status 1.\n"
	"\n"
	"Options:\n"
	HELP_HELP;

int cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = { OPT_HELP, OPT_END };
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(bench_help, stdout);
			return EXIT_ALL_OK;
		}
		return bad_option(argv[0], argv);
	}
	fprintf(stderr, PROG " bench: not implemented yet\n");
	return EXIT_SOME_FAILED;
}
