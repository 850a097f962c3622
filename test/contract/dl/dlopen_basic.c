/*
 * contract-build: dynamic-only
 *
 * dlopen of a shared library (dl/libdltest.so next to this program):
 * its constructor has run, dlsym finds a function and a variable that the
 * function reads (one copy, shared with the caller), an unknown symbol
 * and a missing file give NULL with a dlerror message, dlopen of the same
 * file again returns the same handle, the library is a file mapping with
 * an executable piece in /proc/self/maps, and dlclose succeeds.
 */
#include "contract.h"
#include "maps.h"
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>

int main(void)
{
	char exe[PATH_MAX], lib[PATH_MAX + 32], real[PATH_MAX], line[600];
	int (*add)(int, int);
	int *value, *constructed;
	void *h, *h2;
	FILE *maps;
	int exec_piece = 0;
	ssize_t n;

	n = CHECK_OK(readlink("/proc/self/exe", exe, sizeof(exe) - 1));
	exe[n] = '\0';
	snprintf(lib, sizeof(lib), "%s/libdltest.so", dirname(exe));
	CHECK(realpath(lib, real) != NULL);

	h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		CONTRACT_FAIL("dlopen %s: %s", lib, dlerror());
	constructed = dlsym(h, "contract_dl_constructed");
	CHECK(constructed != NULL);
	CHECK_EQ(*constructed, 1);
	add = (int (*)(int, int))dlsym(h, "contract_dl_add");
	value = dlsym(h, "contract_dl_value");
	CHECK(add != NULL && value != NULL);
	CHECK_EQ(*value, 41);
	CHECK_EQ(add(1, 2), 44);
	*value = 100;
	CHECK_EQ(add(1, 2), 103);

	dlerror();
	CHECK(dlsym(h, "contract_dl_no_such_symbol") == NULL);
	CHECK(dlerror() != NULL);
	CHECK(dlopen("/nonexistent/libnothing.so", RTLD_NOW) == NULL);
	CHECK(dlerror() != NULL);

	h2 = dlopen(lib, RTLD_NOW);
	CHECK(h2 == h);
	CHECK_EQ(dlclose(h2), 0);

	/* The code ld.so mapped from the file: "r-xp ... <path>". */
	maps = fopen("/proc/self/maps", "r");
	CHECK(maps != NULL);
	while (fgets(line, sizeof(line), maps)) {
		char perms[5], *name = strchr(line, '/');
		unsigned long ino;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%*x-%*x %4s %*x %*s %lu", perms, &ino) == 2 &&
		    name && strcmp(name, real) == 0 && ino != 0 &&
		    strcmp(perms, "r-xp") == 0)
			exec_piece = 1;
	}
	fclose(maps);
	CHECK(exec_piece);
	CHECK(contract_find_map((unsigned long)add, 0, NULL,
				&(struct contract_map){ 0 }));

	CHECK_EQ(dlclose(h), 0);
	return 0;
}
