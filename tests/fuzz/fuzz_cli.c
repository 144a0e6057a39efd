// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cli - libFuzzer harness for syncdaxctl's argument parsing.  The cli/ sources
 * are compiled in unchanged except main() renamed (-Dmain=syncdaxctl_main);
 * each input is split at NUL or newline bytes into at most 24 arguments
 * and run as "syncdaxctl ARG...".  Paths stay inside a scratch directory
 * (the working directory; ".." is defused, absolute paths are re-rooted
 * there).  The exit status must be 0, 1 or 2 (syncdaxctl(8)).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int syncdaxctl_main(int argc, char **argv);

#define MAXARGS 24

static char scratch[256];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	snprintf(scratch, sizeof(scratch), "%s/fuzz_cli.%d",
		 getenv("FUZZ_SCRATCH") ? getenv("FUZZ_SCRATCH") : "/var/tmp", (int)getpid());
	mkdir(scratch, 0755);
	if (chdir(scratch)) {
		perror(scratch);
		exit(1);
	}
	close(open("file", O_RDWR | O_CREAT, 0644));
	mkdir("dir", 0755);
	mkdir("dir/sub", 0755);
	close(open("dir/f", O_RDWR | O_CREAT, 0644));
	close(open("dir/sub/g", O_RDWR | O_CREAT, 0644));
	if (symlink("file", "link") && errno != EEXIST)
		perror("link");
	if (symlink("dir", "dirlink") && errno != EEXIST)
		perror("dirlink");
	mkfifo("fifo", 0644);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAXARGS + 2], *p, *end;
	int argc = 1, rc, i;

	if (size > 4096)
		return -1;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"syncdaxctl";
	p = buf;
	end = buf + size;
	while (p <= end && argc <= MAXARGS) {
		char *q = p;

		while (q < end && *q != '\0' && *q != '\n')
			q++;
		*q = '\0';
		argv[argc++] = p;
		p = q + 1;
	}
	argv[argc] = NULL;
	for (i = 1; i < argc; i++) {
		char *s;

		for (s = argv[i]; (s = strstr(s, "..")); )
			*s = '_';
		/* absolute paths (and --opt=/path) become relative: cwd is the scratch dir */
		for (s = argv[i]; *s; s++)
			if (*s == '/' && (s == argv[i] || s[-1] == '='))
				*s = '_';
	}
	optind = 0;
	opterr = 1;
	rc = syncdaxctl_main(argc, argv);
	if (rc != 0 && rc != 1 && rc != 2) {
		fprintf(stderr, "fuzz_cli: exit status %d is not 0, 1 or 2\n", rc);
		abort();
	}
	fflush(stdout);
	free(buf);
	return 0;
}
