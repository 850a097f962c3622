# A multi-file program built by make (Debian's GNU make): separate
# compilation, a header dependency, a rebuild after a change, a clean
# second run that does nothing.
set -e
d=$(mktemp -d /tmp/gcc2.XXXXXX); cd "$d"
cat > words.h <<'C'
#define WORDS_MAX 64
int count_words(const char *s);
void reverse(char *s);
C
cat > words.c <<'C'
#include <ctype.h>
#include <string.h>
#include "words.h"
int count_words(const char *s)
{
	int n = 0, in = 0;
	for (; *s; s++) {
		if (isspace((unsigned char)*s))
			in = 0;
		else if (!in)
			in = 1, n++;
	}
	return n;
}
void reverse(char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n / 2; i++) {
		char c = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = c;
	}
}
C
cat > main.c <<'C'
#include <stdio.h>
#include <string.h>
#include "words.h"
int main(void)
{
	char line[256];
	int total = 0;
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		total += count_words(line);
		reverse(line);
		printf("%s\n", line);
	}
	printf("words %d (max %d)\n", total, WORDS_MAX);
	return 0;
}
C
printf 'prog: main.o words.o\n\t$(CC) -o $@ main.o words.o\n%%.o: %%.c words.h\n\t$(CC) -O2 -c $<\n' > Makefile
make CC=gcc
printf 'one two  three\nfour\n' | ./prog
make CC=gcc
sed -i 's/WORDS_MAX 64/WORDS_MAX 128/' words.h
make CC=gcc
echo "a b" | ./prog
cd /; rm -rf "$d"; echo done
