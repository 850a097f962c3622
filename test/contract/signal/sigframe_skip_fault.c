/*
 * An SA_SIGINFO SIGSEGV handler reads si_code/si_addr and the faulting RIP
 * from uc_mcontext, then advances RIP past the instruction and sets RAX:
 * sigreturn must resume there with the changed register.
 */
#include "contract.h"
#include <ucontext.h>

extern char contract_fault_insn[], contract_fault_resume[];
static volatile int seen_code, seen_rip_ok;
static void *volatile seen_addr;

static void handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	seen_code = si->si_code;
	seen_addr = si->si_addr;
	seen_rip_ok = uc->uc_mcontext.gregs[REG_RIP] == (greg_t)contract_fault_insn;
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)contract_fault_resume;
	uc->uc_mcontext.gregs[REG_RAX] = 0x1234;
	uc->uc_mcontext.gregs[REG_RBX] += 1;
}

static __attribute__((noinline)) long fault(long *rbx_out)
{
	long rax, rbx = 41;

	__asm__ volatile(
		"xor %%eax, %%eax\n"
		".globl contract_fault_insn\n"
		"contract_fault_insn:\n"
		"movq (%2), %%rax\n"
		".globl contract_fault_resume\n"
		"contract_fault_resume:\n"
		: "=&a"(rax), "+b"(rbx) : "r"(8UL) : "memory");
	*rbx_out = rbx;
	return rax;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
	long rbx;

	CHECK_OK(sigaction(SIGSEGV, &sa, NULL));
	CHECK_EQ(fault(&rbx), 0x1234);
	CHECK_EQ(rbx, 42);
	CHECK_EQ(seen_code, SEGV_MAPERR);
	CHECK(seen_addr == (void *)8);
	CHECK(seen_rip_ok);
	return 0;
}
