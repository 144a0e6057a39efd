// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_lib - libFuzzer harness for the libsyncdax entry points that take
 * user data: the *_str()/strerror() tables with fuzzed values, the
 * path-taking functions (state, probe, get/set flag) with fuzzed paths kept
 * inside a scratch directory, and sdx_map_fd()/sdx_persist()/sdx_unmap()
 * argument checking with fuzzed fds, offsets, lengths, flags and ranges.
 * The library sources are compiled into the harness with the sanitizers.
 *
 * Input: [4 bytes value][4 bytes value2][1 byte selector][8 bytes offset]
 *        [8 bytes length][rest: path bytes]
 */

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <syncdax.h>

static char scratch[256];
static int fds[4];

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_lib: contract violated: %s\n", what);
		abort();
	}
}

static void check_str(const char *s, const char *what)
{
	must(s != NULL, what);
	must(strlen(s) < 4096, what);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char p[512];
	int fd;

	(void)argc; (void)argv;
	snprintf(scratch, sizeof(scratch), "%s/fuzz_lib.%d",
		 getenv("FUZZ_SCRATCH") ? getenv("FUZZ_SCRATCH") : "/var/tmp", (int)getpid());
	mkdir(scratch, 0755);
	if (chdir(scratch)) {
		perror(scratch);
		exit(1);
	}
	fd = open("file", O_RDWR | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, 65536)) {
		perror("file");
		exit(1);
	}
	mkdir("dir", 0755);
	mkdir("dir/sub", 0755);
	close(open("dir/sub/f", O_RDWR | O_CREAT, 0644));
	if (symlink("file", "link") && errno != EEXIST)
		perror("link");
	if (symlink("nowhere", "dangling") && errno != EEXIST)
		perror("dangling");
	mkfifo("fifo", 0644);
	fds[0] = fd;
	fds[1] = open("dir", O_RDONLY | O_DIRECTORY);
	fds[2] = open("file", O_RDONLY);
	fds[3] = -1;
	snprintf(p, sizeof(p), "%s", scratch);
	return 0;
}

static uint64_t take(const uint8_t **d, size_t *n, size_t k)
{
	uint64_t v = 0;

	if (*n < k)
		k = *n;
	memcpy(&v, *d, k);
	*d += k;
	*n -= k;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int v1 = (int)take(&data, &size, 4);
	unsigned int v2 = (unsigned int)take(&data, &size, 4);
	unsigned int sel = (unsigned int)take(&data, &size, 1);
	off_t off = (off_t)take(&data, &size, 8);
	size_t len = (size_t)take(&data, &size, 8);
	char path[1200];
	struct sdx_state st;
	struct sdx_probe *pr;
	struct sdx_mapping m;
	size_t plen = size < 1024 ? size : 1024;
	int rc, fd;

	/* the string tables: never NULL, for any value */
	check_str(sdx_strerror(v1), "sdx_strerror");
	check_str(sdx_strerror(v1 == INT_MIN ? v1 : -v1), "sdx_strerror(-)");
	check_str(sdx_map_strerror(v1), "sdx_map_strerror");
	check_str(sdx_why_str(v2), "sdx_why_str");
	check_str(sdx_map_mode_str(v1), "sdx_map_mode_str");
	check_str(sdx_flush_insn_str(v1), "sdx_flush_insn_str");
	check_str(sdx_mount_dax_str(v1), "sdx_mount_dax_str");
	check_str(sdx_ns_mode_str(v1), "sdx_ns_mode_str");
	check_str(sdx_version(), "sdx_version");

	/* a path inside the scratch directory: relative, no ".." */
	memcpy(path, data, plen);
	path[plen] = '\0';
	for (size_t i = 0; i + 1 < plen; i++)
		if (path[i] == '.' && path[i + 1] == '.')
			path[i] = '_';
	while (path[0] == '/')
		memmove(path, path + 1, strlen(path));
	if (sel & 0x80) {
		/* also an absolute path under the scratch directory */
		char abs[1300];

		snprintf(abs, sizeof(abs), "%s/%s", scratch, path);
		memcpy(path, abs, sizeof(path) - 1);
		path[sizeof(path) - 1] = '\0';
	}

	memset(&st, 0x5a, sizeof(st));
	rc = sdx_state_path(path, v2 & 1, &st);
	must(rc <= 0, "sdx_state_path returns 0 or -errno");
	if (rc == 0) {
		must(st.reserved[0] == 0 && st.reserved[4] == 0, "state reserved zero");
		must(!(st.flags & SDX_STATE_ACTIVE) || st.why_not == 0, "active means why_not 0");
	}
	check_str(sdx_strerror(rc), "sdx_strerror(rc)");
	rc = sdx_get_flag_path(path, v2 & 1);
	must(rc == 0 || rc == 1 || rc < 0, "sdx_get_flag_path range");
	if (sel & 1) {
		rc = sdx_set_flag_path(path, (int)(v2 >> 1) & 1, v2 & 1);
		must(rc <= 0, "sdx_set_flag_path range");
	}
	if (sel & 2) {
		pr = (struct sdx_probe *)&pr;	/* must come back NULL on failure */
		rc = sdx_probe_path(NULL, path, &pr);
		must(rc <= 0, "sdx_probe_path range");
		must(rc == 0 ? pr != NULL : pr == NULL, "a probe exactly on success");
		if (rc == 0) {
			check_str(sdx_probe_get_fstype(pr), "fstype");
			check_str(sdx_probe_get_blockdev(pr), "blockdev");
			check_str(sdx_probe_get_namespace(pr), "namespace");
			check_str(sdx_probe_get_region(pr), "region");
			check_str(sdx_probe_get_provider(pr), "provider");
			check_str(sdx_probe_get_source(pr), "source");
			check_str(sdx_probe_get_target(pr), "target");
			check_str(sdx_probe_get_options(pr), "options");
			check_str(sdx_probe_get_dev_sync_why(pr), "dev_sync_why");
			check_str(sdx_mount_dax_str(sdx_probe_get_mount_dax(pr)), "mount_dax");
			check_str(sdx_ns_mode_str(sdx_probe_get_ns_mode(pr)), "ns_mode");
		}
		sdx_probe_free(pr);
	}
	if (sel & 8) {
		/* sdx_prepare() on the fuzzer's scratch fds, small ranges only */
		rc = sdx_prepare(fds[(sel >> 2) & 3], (uint64_t)off & 0xffff,
				 (uint64_t)len & 0xffff);
		must(rc <= 0, "sdx_prepare range");
	}

	/* mapping argument checking: fuzzed fd, offset, length, flags */
	fd = fds[(sel >> 2) & 3];
	if (((sel >> 4) & 3) == 3)
		fd = (int)v2;		/* any number, mostly not open */
	if (len > (1u << 20) && !(sel & 0x40))
		len &= 0xfffff;	/* keep most lengths mappable */
	if (fd > 2 && fd != fds[0] && fd != fds[1] && fd != fds[2])
		fd = -1 - (fd & 0xffff);	/* never touch the fuzzer's own fds */
	memset(&m, 0, sizeof(m));
	rc = sdx_map_fd(fd, (uint64_t)((sel & 0x20) ? off : (off & 0xffff)), len, v2 >> 28, &m);
	must(rc <= 0, "sdx_map_fd range");
	if (rc == 0) {
		size_t a = (size_t)((uint64_t)(unsigned int)v1 % (m.length + 8192));
		size_t b = (size_t)(len % (m.length + 8192));

		must(m.addr != NULL && m.length > 0, "a mapping has an address and length");
		check_str(sdx_map_mode_str(sdx_map_mode(&m)), "map mode");
		struct stat sb;

		if (a + b <= m.length) {
			/* inside: must work; store where the file has data (a
			 * mapping may reach past EOF, which would be SIGBUS) */
			if (!fstat(fd, &sb) && (uint64_t)a + m.offset < (uint64_t)sb.st_size)
				((volatile char *)m.addr)[a] = 1;
			must(sdx_persist(&m, (char *)m.addr + a, b) == 0, "sdx_persist inside");
		} else {
			must(sdx_persist(&m, (char *)m.addr + a, b) < 0, "sdx_persist outside fails");
		}
		must(sdx_persist(&m, (char *)m.addr - 4096, 1) < 0, "sdx_persist before fails");
		must(sdx_unmap(&m) == 0, "sdx_unmap");
		must(sdx_map_mode(&m) == SDX_MAP_NONE, "unmapped mode none");
		must(sdx_unmap(&m) < 0 || m.addr == NULL, "double unmap");
	} else {
		check_str(sdx_map_strerror(rc), "map strerror");
		must(sdx_map_mode(&m) == SDX_MAP_NONE, "failed map leaves none");
	}
	must(sdx_map_mode(NULL) == SDX_MAP_NONE, "sdx_map_mode(NULL)");
	return 0;
}
