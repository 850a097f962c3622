/* opendir/readdir (libc over getdents64) sees files created and not those removed before. */
#include "contract.h"
#include <dirent.h>

int main(void)
{
	contract_write_file(contract_path("a"), "", 0644);
	contract_write_file(contract_path("b"), "", 0644);
	CHECK_OK(unlink(contract_path("a")));
	DIR *d = opendir(contract_tmpdir());
	CHECK(d != NULL);
	struct dirent *e;
	int a = 0, b = 0, n = 0;
	while ((e = readdir(d)) != NULL) {
		n++;
		a += !strcmp(e->d_name, "a");
		b += !strcmp(e->d_name, "b");
	}
	CHECK_EQ(a, 0);
	CHECK_EQ(b, 1);
	CHECK_EQ(n, 3);
	rewinddir(d);
	n = 0;
	while (readdir(d))
		n++;
	CHECK_EQ(n, 3);
	closedir(d);
	return 0;
}
