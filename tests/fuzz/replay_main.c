/*
 * A main() for the fuzz targets without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on every file named on the command line, and
 * on every file in a directory named there. Exits 0 when every input ran
 * (a failing property aborts), 1 when a file cannot be read.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "fuzz.h"

static int
run_file(const char *path, unsigned *n)
{
	struct cs_error err = { 0 };
	char *buf;
	size_t len;

	if (cs_file_read(path, 64u << 20, &buf, &len, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	(*n)++;
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned n = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **ents;
		struct stat st;
		int k;

		if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			rc |= run_file(argv[i], &n);
			continue;
		}
		if ((k = scandir(argv[i], &ents, NULL, alphasort)) < 0) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		for (int j = 0; j < k; j++) {
			char path[4096];

			if (ents[j]->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", argv[i],
				    ents[j]->d_name);
				rc |= run_file(path, &n);
			}
			free(ents[j]);
		}
		free(ents);
	}
	printf("%u inputs\n", n);
	return rc;
}
