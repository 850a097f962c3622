/*
 * Host tests for the \_S5 AML decoder (drivers/acpi_aml.c): table-driven
 * cases from real firmware encodings plus malformed ones, and every
 * truncation of each good case (ASan catches any out-of-bounds read).
 */
#include <stdio.h>
#include <stdlib.h>
#include "drivers/acpi.h"
#include "include/errno.h"
#include "lib/string.h"

struct aml_case {
	const char *name;
	uint8_t aml[48];
	size_t len;
	int err;
	uint8_t a, b;
};

static const struct aml_case cases[] = {
	{ "qemu: Name(_S5, Package(4){0,0,0,0})",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
	    0x00, 0x00, 0x00, 0x00 }, 12, 0, 0, 0 },
	{ "byte prefixes, root prefix",
	  { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x02,
	    0x0a, 0x07, 0x0a, 0x05 }, 13, 0, 7, 5 },
	{ "one-op and word prefix",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x01,
	    0x0b, 0x03, 0x00 }, 12, 0, 1, 3 },
	{ "two-byte PkgLength",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x47, 0x00, 0x02,
	    0x0a, 0x05, 0x0a, 0x06 }, 13, 0, 5, 6 },
	{ "PkgLength too short for the elements",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x46, 0x00, 0x02,
	    0x0a, 0x05, 0x0a, 0x06 }, 13, -EINVAL, 0, 0 },
	{ "PkgLength shorter than itself",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x00, 0x02,
	    0x0a, 0x05, 0x0a, 0x06 }, 13, -EINVAL, 0, 0 },
	{ "PkgLength past the end of the table",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0xc0, 0xff, 0xff, 0xff },
	  10, -EINVAL, 0, 0 },
	{ "one element packs both",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x0a, 0x05 },
	  10, 0, 5, 5 },
	{ "zero elements",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00 }, 8, -EINVAL, 0, 0 },
	{ "method, not a name",
	  { 0x14, 0x09, '_', 'S', '5', '_', 0x00, 0x12, 0x04, 0x01, 0x00 },
	  11, -ENOENT, 0, 0 },
	{ "name but not a package",
	  { 0x08, '_', 'S', '5', '_', 0x0a, 0x05 }, 7, -EINVAL, 0, 0 },
	{ "string in the package",
	  { 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0d, 'a', 0x00 },
	  11, -EINVAL, 0, 0 },
	{ "second _S5_ is the good one",
	  { 0x08, '_', 'S', '5', '_', 0x0a, 0x05,
	    0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x02, 0x0a,
	    0x03 }, 19, 0, 2, 3 },
	{ "no _S5_ at all",
	  { 0x08, '_', 'S', '4', '_', 0x12, 0x04, 0x01, 0x00 }, 9,
	  -ENOENT, 0, 0 },
	{ "empty", { 0 }, 0, -ENOENT, 0, 0 },
};

static int run_case(const struct aml_case *c)
{
	uint8_t a = 0xee, b = 0xee;
	int err = acpi_aml_find_s5(c->aml, c->len, &a, &b);

	if (err != c->err || (err == 0 && (a != c->a || b != c->b))) {
		printf("# %s: got %d (%u, %u), want %d (%u, %u)\n", c->name,
		       err, a, b, c->err, c->a, c->b);
		return 1;
	}
	return 0;
}

/*
 * Every proper prefix, copied to an exactly sized heap buffer so that ASan
 * sees any overrun.  Each good case ends with its package, so no prefix
 * may decode.
 */
static int run_truncations(const struct aml_case *c)
{
	int failed = 0;

	for (size_t n = 0; n < c->len; n++) {
		uint8_t *buf = malloc(n ? n : 1);
		uint8_t a, b;

		memcpy(buf, c->aml, n);
		if (acpi_aml_find_s5(buf, n, &a, &b) == 0) {
			printf("# %s: prefix of %zu bytes decoded\n",
			       c->name, n);
			failed = 1;
		}
		free(buf);
	}
	return failed;
}

int main(void)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int bad = run_case(&cases[i]) + run_truncations(&cases[i]);
		printf("%s - %s\n", bad ? "not ok" : "ok", cases[i].name);
		failed += bad;
	}
	return failed != 0;
}
