/*
 * Command-line splitting.  Pure code (host tested).  Quotes are removed
 * as Linux's next_arg() does: a double quote toggles "in quotes", where
 * spaces do not split.
 */
#include "lib/cmdline.h"
#include "lib/string.h"

struct cmdline boot_cmdline;

void cmdline_parse(struct cmdline *cl, const char *text)
{
	char *out = cl->buf;
	char *end = cl->buf + sizeof(cl->buf) - 1;
	bool after_dashes = false;

	memset(cl, 0, sizeof(*cl));
	while (*text) {
		char *word = out;
		char *eq = NULL;
		bool quoted = false;

		while (*text == ' ' || *text == '\t' || *text == '\n')
			text++;
		if (!*text)
			break;
		while (*text && (quoted || (*text != ' ' && *text != '\t' &&
					    *text != '\n'))) {
			if (*text == '"') {
				quoted = !quoted;
				text++;
				continue;
			}
			if (out < end) {
				if (*text == '=' && !eq)
					eq = out;
				*out++ = *text;
			}
			text++;
		}
		if (out >= end)
			break;
		*out++ = '\0';
		if (!after_dashes && strcmp(word, "--") == 0) {
			after_dashes = true;
			continue;
		}
		if (after_dashes) {
			if (cl->init_arg_count < CMDLINE_MAX_WORDS)
				cl->init_args[cl->init_arg_count++] = word;
			continue;
		}
		if (cl->count >= CMDLINE_MAX_WORDS)
			continue;
		if (eq) {
			*eq = '\0';
			cl->values[cl->count] = eq + 1;
		} else {
			cl->values[cl->count] = NULL;
		}
		cl->names[cl->count++] = word;
	}
}

const char *cmdline_get(const struct cmdline *cl, const char *name)
{
	const char *found = NULL;

	for (unsigned i = 0; i < cl->count; i++)
		if (strcmp(cl->names[i], name) == 0)
			found = cl->values[i] ? cl->values[i] : "";
	return found;
}

long cmdline_get_long(const struct cmdline *cl, const char *name, long fallback)
{
	const char *s = cmdline_get(cl, name);
	long v = 0, sign = 1;
	unsigned base = 10;

	if (!s || !*s)
		return fallback;
	if (*s == '-') {
		sign = -1;
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return fallback;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return fallback;
		v = v * base + d;
	}
	return sign * v;
}
