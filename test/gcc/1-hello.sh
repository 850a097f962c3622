# GCC (Debian 12's gcc 12) compiles hello world, dynamically linked and
# static, with output files on the tmpfs /tmp; both run.
set -e
gcc -dumpversion
d=$(mktemp -d /tmp/gcc1.XXXXXX); cd "$d"
cat > hello.c <<'C'
#include <stdio.h>
int main(int argc, char **argv)
{
	printf("hello, world (%d arg%s)\n", argc, argc == 1 ? "" : "s");
	return 3;
}
C
gcc -O2 -Wall -o hello hello.c
./hello || echo "status $?"
./hello a b || echo "status $?"
gcc -static -o hello-static hello.c
./hello-static x || echo "status $?"
file_type() { od -An -c -N4 "$1" | tr -d ' '; }
file_type hello-static
gcc -E -dM - < /dev/null | grep -c __x86_64__
cd /; rm -rf "$d"; echo done
