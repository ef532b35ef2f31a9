/*
 * rusage_run: runs a command and reports what it cost.
 *
 *   rusage_run [-k SECONDS] REPORT COMMAND [ARGS...]
 *
 * Forks and executes COMMAND, waits for it with wait4() and writes one line
 * "maxrss_kib=N wall_ms=N" to the file REPORT (the peak resident set size
 * of the child as getrusage reports it, and the elapsed wall time). Exits
 * with COMMAND's exit code, or 128 + the signal that killed it. With -k,
 * the child is killed (SIGKILL) after SECONDS, so a hang cannot hang the
 * test; the report then also says "killed=1".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t expired;

static void
on_alarm(int sig)
{
	(void)sig;
	expired = 1;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct rusage ru;
	unsigned kill_after = 0;
	long long start;
	int status = 0, killed = 0, argi = 1;
	pid_t pid;
	FILE *f;

	if (argc > 2 && strcmp(argv[1], "-k") == 0) {
		kill_after = (unsigned)strtoul(argv[2], NULL, 10);
		argi = 3;
	}
	if (argc - argi < 2) {
		fprintf(stderr, "usage: rusage_run [-k SECONDS] REPORT "
		    "COMMAND [ARGS...]\n");
		return 125;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: wait4 returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	start = now_ms();
	if ((pid = fork()) < 0) {
		perror("rusage_run: fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[argi + 1], argv + argi + 1);
		fprintf(stderr, "rusage_run: %s: %s\n", argv[argi + 1],
		    strerror(errno));
		_exit(127);
	}
	if (kill_after > 0)
		alarm(kill_after);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("rusage_run: wait4");
			return 125;
		}
		if (expired && !killed) {
			kill(pid, SIGKILL);
			killed = 1;
		}
	}
	alarm(0);
	if ((f = fopen(argv[argi], "w")) == NULL) {
		perror(argv[argi]);
		return 125;
	}
	fprintf(f, "maxrss_kib=%ld wall_ms=%lld%s\n", ru.ru_maxrss,
	    now_ms() - start, killed ? " killed=1" : "");
	fclose(f);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
