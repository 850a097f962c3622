# Run every test script in DIR (default: this script's directory) with
# BusyBox sh and compare its output with NAME.out.  Prints one line per
# script, "PREFIX name: PASS" or "PREFIX name: FAIL", the differences
# after a failing line, and "PREFIX summary: N passed, N failed", where
# PREFIX is $PREFIX (default BUSYBOX; the Alpine suite uses ALPINE).
# With UPDATE=1 it writes the .out files instead (use on the host only:
# the host's Linux is the oracle).
dir=${1:-$(dirname "$0")}
pass=0 fail=0
for t in "$dir"/*.sh; do
	name=$(basename "$t" .sh)
	[ "$name" = run-suite ] && continue
	out=/tmp/bbsuite.$$.out
	(cd / && sh "$t") > "$out" 2>&1
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$out" "$dir/$name.out"
	fi
	if cmp -s "$out" "$dir/$name.out"; then
		echo "${PREFIX:-BUSYBOX} $name: PASS"
		pass=$((pass + 1))
	else
		echo "${PREFIX:-BUSYBOX} $name: FAIL (output differs)"
		diff "$dir/$name.out" "$out" | head -20 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
	rm -f "$out"
done
echo "${PREFIX:-BUSYBOX} summary: $pass passed, $fail failed"
[ "$fail" = 0 ]
