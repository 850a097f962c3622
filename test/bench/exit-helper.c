/* The program the process-creation benchmarks execute: it exits 0. */
int main(void)
{
	return 0;
}
