/* O_APPEND writes always go to the end, even after lseek, and even from two descriptors. */
#include "contract.h"

int main(void)
{
	char buf[32];
	const char *f = contract_path("f");

	contract_write_file(f, "base", 0644);
	int a = CHECK_OK(open(f, O_WRONLY | O_APPEND));
	int b = CHECK_OK(open(f, O_WRONLY | O_APPEND));
	CHECK_EQ(lseek(a, 0, SEEK_SET), 0);
	CHECK_EQ(write(a, "-a", 2), 2);
	CHECK_EQ(lseek(a, 0, SEEK_CUR), 6);
	CHECK_EQ(write(b, "-b", 2), 2);
	CHECK_EQ(write(a, "-c", 2), 2);
	contract_read_file(f, buf, sizeof(buf));
	CHECK(strcmp(buf, "base-a-b-c") == 0);
	return 0;
}
