/* ".." of "/" is "/" itself; "." and ".." resolve as expected in paths. */
#include "contract.h"

int main(void)
{
	struct stat root, up, tmp, tmp2;

	CHECK_OK(stat("/", &root));
	CHECK_OK(stat("/..", &up));
	CHECK_EQ(root.st_ino, up.st_ino);
	CHECK_EQ(root.st_dev, up.st_dev);
	CHECK_OK(stat("/../../..", &up));
	CHECK_EQ(root.st_ino, up.st_ino);
	CHECK_OK(stat("/tmp", &tmp));
	CHECK_OK(stat("/../tmp/./../tmp/.", &tmp2));
	CHECK_EQ(tmp.st_ino, tmp2.st_ino);
	CHECK_OK(chdir("/"));
	CHECK_OK(chdir(".."));
	char buf[16];
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, "/") == 0);
	CHECK_OK(stat("//tmp//", &tmp2));
	CHECK_EQ(tmp.st_ino, tmp2.st_ino);
	return 0;
}
