#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "extraopts.h"

enum {
	OPT_EXTRA = CS_OPT_COMMON,
	OPT_FORMAT,
	OPT_MAXOUT,
};

static const struct option common_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "timeout", required_argument, NULL, 't' },
	{ "extra-opts", optional_argument, NULL, OPT_EXTRA },
	{ "output-format", required_argument, NULL, OPT_FORMAT },
	{ "max-output", required_argument, NULL, OPT_MAXOUT },
	{ NULL, 0, NULL, 0 },
};

static const char common_help[] =
    " -h, --help\n"
    "    Print this help and exit (state UNKNOWN, as the Monitoring Plugins do).\n"
    " -V, --version\n"
    "    Print the version and exit (state UNKNOWN).\n"
    " -v, --verbose\n"
    "    Say more on standard error, up to -vvv: 1 what is read, 2 how it is\n"
    "    judged, 3 everything. Standard output keeps only the result; secrets\n"
    "    are never printed at any level.\n"
    " -t, --timeout=SECONDS[:STATE]\n"
    "    Give up after SECONDS (default 10, at most 86400) and exit with STATE\n"
    "    (ok, warning, critical or unknown; default unknown), printing\n"
    "    \"timed out after SECONDS s\".\n"
    " --extra-opts=[SECTION][@FILE]\n"
    "    Read options from SECTION (default: the plugin's name) of the ini\n"
    "    FILE (default: $MP_CONFIG_FILE, else\n"
    "    /etc/monitoring-plugins/monitoring-plugins.ini). \"key = value\" means\n"
    "    --key=value; options on the command line come after them. Use it to\n"
    "    keep secrets out of the process list.\n"
    " --output-format=nagios|json\n"
    "    nagios (default): the first line is \"LABEL STATE - summary | perfdata\",\n"
    "    then one finding per line, worst first. json: one JSON object\n"
    "    {plugin, state, exit_code, summary, findings[{state, rule, text, file,\n"
    "    line}], perfdata[{label, value, uom, warn, crit, min, max}], data};\n"
    "    the exit code is the same in both formats.\n"
    " --max-output=BYTES\n"
    "    Most bytes of nagios output (default 8192, at least 256). Findings that\n"
    "    do not fit end in \"... and N more\"; the perfdata is never cut.\n";

static int log_level;

/* The timeout message, prepared in advance: a signal handler may only
 * write(2) and _exit(2). */
static char timeout_msg[512];
static size_t timeout_len;
static int timeout_exit;

void
cs_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (log_level < level)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cs_parse_long(const char *arg, long min, long max, long *out,
    const char *what, struct cs_error *err)
{
	char *end;
	long v;

	if (arg == NULL || *arg == '\0')
		return cs_error_set(err, CS_ERR_USAGE, "%s: empty value", what);
	errno = 0;
	v = strtol(arg, &end, 10);
	if (*end != '\0' || end == arg)
		return cs_error_set(err, CS_ERR_USAGE,
		    "%s: '%s' is not a whole number", what, arg);
	if (errno == ERANGE || v < min || v > max)
		return cs_error_set(err, CS_ERR_USAGE,
		    "%s: %s is out of range (%ld-%ld)", what, arg, min, max);
	*out = v;
	return 0;
}

int
cs_parse_timeout(const char *arg, unsigned *secs, enum cs_state *state,
    struct cs_error *err)
{
	char num[32];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	long v;
	int rc;

	if (n >= sizeof(num))
		return cs_error_set(err, CS_ERR_USAGE,
		    "timeout: '%s' is not a number of seconds", arg);
	memcpy(num, arg, n);
	num[n] = '\0';
	if ((rc = cs_parse_long(num, 1, CS_TIMEOUT_MAX, &v, "timeout",
	    err)) != 0)
		return rc;
	if (colon != NULL && cs_state_parse(colon + 1, state) != 0)
		return cs_error_set(err, CS_ERR_USAGE,
		    "timeout: '%s' is not a state (ok, warning, critical, "
		    "unknown)", colon + 1);
	*secs = (unsigned)v;
	return 0;
}

static void
on_alarm(int sig)
{
	ssize_t n;
	size_t off = 0;

	(void)sig;
	while (off < timeout_len) {
		n = write(STDOUT_FILENO, timeout_msg + off, timeout_len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	_exit(timeout_exit);
}

void
cs_timeout_arm(const struct cs_runtime *rt)
{
	struct sigaction sa;
	struct cs_check *c;
	char *msg;

	/* render the message now with the same code as any other result */
	if ((c = cs_check_new(rt->plugin->name, rt->plugin->label)) == NULL)
		return;
	cs_check_summary(c, "timed out after %u s", rt->timeout);
	cs_check_fail(c, rt->timeout_state);
	msg = cs_output_render(c, rt->format, sizeof(timeout_msg) - 1);
	cs_check_free(c);
	if (msg == NULL)
		return;
	snprintf(timeout_msg, sizeof(timeout_msg), "%s", msg);
	timeout_len = strlen(timeout_msg);
	timeout_exit = (int)rt->timeout_state;
	free(msg);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(rt->timeout);
}

void
cs_timeout_disarm(void)
{
	alarm(0);
}

static void
print_usage_line(const struct cs_plugin *p)
{
	printf("Usage: %s %s\n", p->name, p->usage);
}

static void
print_help(const struct cs_plugin *p)
{
	printf("%s %s (%s)\n\n", p->name, PACKAGE_VERSION, PACKAGE_NAME);
	printf("%s\n", p->purpose);
	print_usage_line(p);
	printf("\nOptions:\n%s", p->options);
	if (p->group_options != NULL)
		printf("\n%s options:\n%s", p->group_title, p->group_options);
	printf("\nCommon options:\n%s", common_help);
	if (p->notes != NULL && *p->notes != '\0')
		printf("\n%s", p->notes);
	if (p->examples != NULL && *p->examples != '\0')
		printf("\nExamples:\n%s", p->examples);
	printf("\nReport bugs to <%s>.\n", PACKAGE_BUGREPORT);
}

static void
vdie(const struct cs_runtime *rt, enum cs_state state, int usage,
    const char *fmt, va_list ap)
{
	struct cs_check *c;
	char *msg = NULL, *out = NULL;

	cs_timeout_disarm();
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	c = cs_check_new(rt->plugin->name, rt->plugin->label);
	if (c != NULL) {
		cs_check_summary(c, "%s", msg ? msg : "out of memory");
		cs_check_fail(c, state);
		out = cs_output_render(c, rt->format, rt->max_output);
	}
	if (out != NULL)
		fputs(out, stdout);
	else
		printf("%s %s - out of memory\n", rt->plugin->label,
		    cs_state_name(state));
	if (usage && rt->format == CS_FORMAT_NAGIOS) {
		print_usage_line(rt->plugin);
		printf("Try '%s --help' for more information.\n",
		    rt->plugin->name);
	}
	fflush(stdout);
	free(out);
	free(msg);
	cs_check_free(c);
	exit((int)state);
}

void
cs_usage_error(const struct cs_runtime *rt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(rt, CS_UNKNOWN, 1, fmt, ap);
	va_end(ap);
	exit(CS_UNKNOWN); /* not reached */
}

void
cs_die(const struct cs_runtime *rt, enum cs_state state, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(rt, state, 0, fmt, ap);
	va_end(ap);
	exit((int)state); /* not reached */
}

static size_t
count_longopts(const struct option *o)
{
	size_t n = 0;

	while (o != NULL && o[n].name != NULL)
		n++;
	return n;
}

/* Joins the common, the plugin's and its group's long options. */
static struct option *
merge_longopts(const struct cs_plugin *p)
{
	size_t nc = count_longopts(common_longopts);
	size_t np = count_longopts(p->longopts);
	size_t ng = count_longopts(p->group_longopts);
	struct option *all;

	if ((all = calloc(nc + np + ng + 1, sizeof(*all))) == NULL)
		return NULL;
	memcpy(all, common_longopts, nc * sizeof(*all));
	if (np > 0)
		memcpy(all + nc, p->longopts, np * sizeof(*all));
	if (ng > 0)
		memcpy(all + nc + np, p->group_longopts, ng * sizeof(*all));
	return all;
}

/* The option as the user wrote it, for messages. */
static const char *
option_text(char **argv, int index)
{
	return argv[index > 0 ? index - 1 : 0];
}

void
cs_cli_parse(const struct cs_plugin *p, void *cfg, struct cs_runtime *rt,
    int argc, char **argv)
{
	struct cs_error err = { 0 };
	struct option *longopts;
	char shortopts[128];
	long v;
	int opt;

	memset(rt, 0, sizeof(*rt));
	rt->plugin = p;
	rt->timeout = CS_TIMEOUT_DEFAULT;
	rt->timeout_state = CS_UNKNOWN;
	rt->format = CS_FORMAT_NAGIOS;
	rt->max_output = CS_OUTPUT_MAX_DEFAULT;

	if (cs_extraopts_expand(p->name, argc, argv, &rt->argc, &rt->argv,
	    &err) != 0) {
		if (err.code == CS_ERR_NOMEM)
			cs_die(rt, CS_UNKNOWN, "out of memory");
		cs_usage_error(rt, "--extra-opts: %s", err.msg);
	}
	if ((longopts = merge_longopts(p)) == NULL)
		cs_die(rt, CS_UNKNOWN, "out of memory");
	snprintf(shortopts, sizeof(shortopts), ":hVvt:%s%s",
	    p->shortopts ? p->shortopts : "",
	    p->group_shortopts ? p->group_shortopts : "");

	opterr = 0; /* our own messages, on stdout, in the plugin format */
	optind = 1;
	while ((opt = getopt_long(rt->argc, rt->argv, shortopts, longopts,
	    NULL)) != -1) {
		switch (opt) {
		case 'h':
			print_help(p);
			exit(CS_UNKNOWN);
		case 'V':
			printf("%s %s (%s)\n", p->name, PACKAGE_VERSION,
			    PACKAGE_NAME);
			exit(CS_UNKNOWN);
		case 'v':
			if (rt->verbose < 3)
				rt->verbose++;
			break;
		case 't':
			if (cs_parse_timeout(optarg, &rt->timeout,
			    &rt->timeout_state, &err) != 0)
				cs_usage_error(rt, "%s", err.msg);
			break;
		case OPT_EXTRA:
			cs_usage_error(rt, "--extra-opts cannot be used here");
		case OPT_FORMAT:
			if (strcmp(optarg, "nagios") == 0)
				rt->format = CS_FORMAT_NAGIOS;
			else if (strcmp(optarg, "json") == 0)
				rt->format = CS_FORMAT_JSON;
			else
				cs_usage_error(rt, "--output-format: '%s' is "
				    "not nagios or json", optarg);
			break;
		case OPT_MAXOUT:
			if (cs_parse_long(optarg, CS_OUTPUT_MAX_MIN,
			    1024L * 1024 * 1024, &v, "--max-output", &err) != 0)
				cs_usage_error(rt, "%s", err.msg);
			rt->max_output = (size_t)v;
			break;
		case ':':
			cs_usage_error(rt, "option '%s' needs a value",
			    option_text(rt->argv, optind));
		case '?':
			if (strncmp(option_text(rt->argv, optind), "--", 2) == 0)
				cs_usage_error(rt, "unknown or invalid option "
				    "'%s'", option_text(rt->argv, optind));
			cs_usage_error(rt, "unknown option '-%c'", optopt);
		default:
			if (p->option == NULL ||
			    p->option(cfg, opt, optarg, &err) != 0)
				cs_usage_error(rt, "%s", err.msg[0] ? err.msg :
				    "invalid option");
			break;
		}
	}
	free(longopts);
	if (optind < rt->argc)
		cs_usage_error(rt, "unexpected argument '%s'",
		    rt->argv[optind]);
	log_level = rt->verbose;
	/* a server closing the connection must be an error, not a kill */
	signal(SIGPIPE, SIG_IGN);
	cs_timeout_arm(rt);
}

void
cs_runtime_free(struct cs_runtime *rt)
{
	cs_extraopts_free(rt->argc, rt->argv);
	rt->argv = NULL;
	rt->argc = 0;
}

struct cs_check *
cs_check_for(const struct cs_runtime *rt)
{
	struct cs_check *c = cs_check_new(rt->plugin->name, rt->plugin->label);

	if (c == NULL)
		cs_die(rt, CS_UNKNOWN, "out of memory");
	return c;
}

/* A module that holds connections registers its teardown here, so that
 * plugins which never use it do not link it (and its libraries). */
static void (*finish_hook)(void);

void
cs_finish_hook(void (*fn)(void))
{
	finish_hook = fn;
}

int
cs_finish(const struct cs_runtime *rt, struct cs_check *c)
{
	enum cs_state state;
	char *out;

	cs_timeout_disarm();
	if (finish_hook != NULL)
		finish_hook();
	state = cs_check_state(c);
	out = cs_output_render(c, rt->format, rt->max_output);
	if (out == NULL) {
		printf("%s UNKNOWN - out of memory while rendering the result\n",
		    rt->plugin->label);
		state = CS_UNKNOWN;
	} else {
		fputs(out, stdout);
		free(out);
	}
	if (fflush(stdout) != 0)
		state = CS_UNKNOWN;
	cs_check_free(c);
	return (int)state;
}
