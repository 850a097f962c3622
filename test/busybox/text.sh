# grep, sed, awk, sort, uniq, head, tail, cut, tr, xargs.
printf 'banana\napple\ncherry\napple\nbanana\napple\n' > /tmp/fruit.$$
sort /tmp/fruit.$$ | uniq -c
sort -r /tmp/fruit.$$ | head -2
grep -n an /tmp/fruit.$$
grep -c apple /tmp/fruit.$$
grep -v apple /tmp/fruit.$$ | tail -1
sed -e 's/a/A/g' -e '2d' /tmp/fruit.$$ | head -3
awk '{ n[$1]++ } END { for (k in n) print k, n[k] }' /tmp/fruit.$$ | sort
echo a:b:c | cut -d: -f2
echo hello | tr a-z A-Z
printf '1\n2\n3\n' | xargs echo sum:
seq 1 5 | awk '{s += $1} END {print s}'
rm /tmp/fruit.$$
