/*
 * Kernel command line, split the way Linux splits it: words separated by
 * spaces, "name=value" or bare "name", double quotes group spaces, and
 * everything after a lone "--" belongs to init.
 */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include "include/types.h"

#define CMDLINE_MAX_WORDS 64

struct cmdline {
	char buf[1024];                 /* words, NUL separated */
	const char *names[CMDLINE_MAX_WORDS];
	const char *values[CMDLINE_MAX_WORDS]; /* NULL for a bare word */
	unsigned count;                 /* words before "--" */
	const char *init_args[CMDLINE_MAX_WORDS];
	unsigned init_arg_count;        /* words after "--" */
};

/* Split @text into @cl.  Words beyond the limits are dropped. */
void cmdline_parse(struct cmdline *cl, const char *text);
/* Value of the last "name=value", "" for a bare "name", NULL if absent. */
const char *cmdline_get(const struct cmdline *cl, const char *name);
/* Parse a decimal (or 0x hex) number; returns @fallback on bad input. */
long cmdline_get_long(const struct cmdline *cl, const char *name, long fallback);

/* The parsed boot command line (filled by boot/main.c). */
extern struct cmdline boot_cmdline;

#endif
