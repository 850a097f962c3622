# The root is the ext4 disk, mounted read-only: its type and flag in
# /proc/mounts, writes refused with EROFS, files read back.
awk '$2 == "/" {split($4, o, ","); t = $3 " " o[1]} END {print t}' /proc/mounts
touch /newfile 2>&1; echo "touch status $?"
mkdir /newdir 2>&1; echo "mkdir status $?"
test -e /newfile || echo "no /newfile"
md5sum /etc/alpine-release /lib/ld-musl-x86_64.so.1 | awk '{print $2, length($1)}'
# The bytes read back are the ones apk installed: each file's SHA-1
# against the checksum in apk's database (Z:Q1 + base64 of the digest).
for f in bin/busybox lib/ld-musl-x86_64.so.1; do
	want=$(awk -v f="$f" '/^F:/ {d = substr($0, 3)} /^R:/ {p = d "/" substr($0, 3)}
		/^Z:/ && p == f {print substr($0, 5); exit}' /lib/apk/db/installed)
	got=$(printf "$(sha1sum "/$f" | cut -c1-40 | sed 's/../\\x&/g')" | base64)
	[ -n "$want" ] && [ "$got" = "$want" ] && echo "$f: apk's checksum" ||
		echo "$f: $got, apk recorded '$want'"
done
cat /etc/hostname
ls /tests/alpine-disk
