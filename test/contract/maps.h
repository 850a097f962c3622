/*
 * /proc/self/maps lookups for contract tests (included after contract.h).
 */
#ifndef CONTRACT_MAPS_H
#define CONTRACT_MAPS_H

#include <stdio.h>
#include <string.h>

struct contract_map {
	unsigned long start, end, offset, inode;
	char perms[5];
	char name[256];                 /* "" for anonymous memory */
};

/*
 * The mapping of the maps file @path (/proc/<pid>/maps) that contains
 * @addr (@exact: that starts at @addr), or the first one named @name when
 * @name is not NULL.  Returns 1 and fills *@m, or 0.
 */
static int contract_find_map_in(const char *path, unsigned long addr,
				int exact, const char *name,
				struct contract_map *m)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int found = 0;

	if (!f)
		CONTRACT_FAIL("open %s", path);
	while (!found && fgets(line, sizeof(line), f)) {
		struct contract_map c;
		int pos = 0;

		memset(&c, 0, sizeof(c));
		if (sscanf(line, "%lx-%lx %4s %lx %*s %lu%n", &c.start, &c.end,
			   c.perms, &c.offset, &c.inode, &pos) < 5)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (pos > 0) {
			const char *n = line + pos;

			while (*n == ' ')
				n++;
			snprintf(c.name, sizeof(c.name), "%s", n);
		}
		if (name ? strcmp(c.name, name) == 0
			 : exact ? c.start == addr
				 : c.start <= addr && addr < c.end) {
			*m = c;
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* The same in /proc/self/maps. */
static int contract_find_map(unsigned long addr, int exact, const char *name,
			     struct contract_map *m)
{
	return contract_find_map_in("/proc/self/maps", addr, exact, name, m);
}

#endif
