/* After fork, private memory (data, heap, stack, anonymous mmap) is copied on write. */
#include "contract.h"

static int data_var = 10;

int main(void)
{
	int stack_var = 20;
	int *heap = malloc(64 * 1024);
	int *anon = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int p[2];

	CHECK(heap && anon != MAP_FAILED);
	heap[0] = 30;
	anon[0] = 40;
	anon[1500] = 41;
	CHECK_OK(pipe(p));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		char c;
		data_var = 11;
		stack_var = 21;
		heap[0] = 31;
		anon[0] = 50;
		/* The parent's later writes are not visible here. */
		close(p[1]);
		read(p[0], &c, 1);
		_exit(anon[1500] == 41 && data_var == 11 ? 0 : 1);
	}
	close(p[0]);
	anon[1500] = 99;
	write(p[1], "x", 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(data_var, 10);
	CHECK_EQ(stack_var, 20);
	CHECK_EQ(heap[0], 30);
	CHECK_EQ(anon[0], 40);
	return 0;
}
