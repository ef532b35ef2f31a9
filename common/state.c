#include "config.h"

#include <stdlib.h>
#include <strings.h>

#include "state.h"

static const struct {
	enum cs_state state;
	const char *name;
	int rank;
} states[] = {
	{ CS_OK, "OK", 0 },
	{ CS_WARNING, "WARNING", 1 },
	{ CS_UNKNOWN, "UNKNOWN", 2 },
	{ CS_CRITICAL, "CRITICAL", 3 },
};

int
cs_state_rank(enum cs_state s)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].state == s)
			return states[i].rank;
	return 2; /* anything unexpected is treated as UNKNOWN */
}

enum cs_state
cs_state_worst(enum cs_state a, enum cs_state b)
{
	return cs_state_rank(a) >= cs_state_rank(b) ? a : b;
}

const char *
cs_state_name(enum cs_state s)
{
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].state == s)
			return states[i].name;
	return "UNKNOWN";
}

int
cs_state_parse(const char *s, enum cs_state *out)
{
	if (s == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		if (strcasecmp(s, states[i].name) == 0 ||
		    (s[0] == '0' + (int)states[i].state && s[1] == '\0')) {
			*out = states[i].state;
			return 0;
		}
	}
	return -1;
}
