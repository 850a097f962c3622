# coreutils, findutils, grep, sed, gawk.
set -e
d=$(mktemp -d /tmp/cu.XXXXXX); cd "$d"
seq 1 1000 > n; wc -l < n; sort -rn n | head -2 | tr '\n' ' '; echo
printf 'b,2\na,1\nc,3\n' > csv; cut -d, -f1 csv | sort | paste -sd-
printf 'a x\nb y\n' > j1; printf 'a 1\nb 2\n' > j2; join j1 j2
echo hello | sha256sum; echo hello | md5sum; printf abc | base64
printf 'hi' | od -An -tx1
mkdir -p tree/a/b tree/c; touch tree/a/b/f1 tree/c/f2; ln -s ../c tree/a/lc
find tree -type f | sort; find tree -type l; find tree -name 'f*' -exec basename {} \; | sort
cp -a tree copy; readlink copy/a/lc; readlink -f tree/a/lc | sed "s|$d/||"
mv copy moved; ls moved | tr '\n' ' '; echo
stat -c '%F %s' n csv
date -u -d @86400 '+%Y-%m-%d %H:%M'
split -l 400 n part.; ls part.* | tr '\n' ' '; echo; cat part.* | cmp - n && echo same
seq 1 20 | xargs -n 5 echo | tail -1
grep -c 7 n; grep -E '^(12|99)$' n | tr '\n' ' '; echo; grep -rl f tree 2>/dev/null | wc -l
sed -E 's/([0-9]+)/<\1>/; 3q' n; sed -i 's/^1$/one/' n; head -1 n
gawk 'BEGIN { s = 0 } { s += $1 } END { printf "%d %.2f\n", s, s / NR }' part.aa
gawk -F, '{ a[$1] = $2 } END { n = asorti(a, k); for (i = 1; i <= n; i++) printf "%s:%s ", k[i], a[k[i]]; print "" }' csv
echo "The Quick Fox" | gawk '{ print toupper($2), length($0), gensub(/o/, "0", "g") }'
du -s --apparent-size -B1 csv | cut -f1
dd if=/dev/zero of=z bs=4096 count=16 status=none; stat -c %s z; tail -c 3 z | od -An -tx1
sort -u <<X | uniq -c | head -2
b
a
b
X
cd /; rm -rf "$d"; echo done
