/*
 * contract-build: shared-library
 *
 * The library dl/dlopen_basic loads: a function, a variable it reads,
 * and a constructor whose run the test can see.
 */
int contract_dl_value = 41;
int contract_dl_constructed;

__attribute__((constructor)) static void construct(void)
{
	contract_dl_constructed = 1;
}

int contract_dl_add(int a, int b)
{
	return a + b + contract_dl_value;
}
