# apk add onto the disk root, from the offline mirror copied into the
# image (/mirror, as the initramfs gets it): the packages, their
# dependencies, the post-install script and busybox's trigger.
apk info -e make || echo "make not installed yet"
cat /etc/apk/repositories
apk add --no-network openrc make binutils musl-dev 2>&1
echo "apk add status $?"
apk info -e openrc make binutils musl-dev
apk info | wc -l
apk info -W /usr/bin/make 2>&1
# What apk installed is on disk as apk recorded it: each file's SHA-1
# against the checksum in apk's database (Z:Q1 + base64 of the digest).
for f in usr/bin/make usr/bin/as usr/lib/libc.a sbin/openrc; do
	want=$(awk -v f="$f" '/^F:/ {d = substr($0, 3)} /^R:/ {p = d "/" substr($0, 3)}
		/^Z:/ && p == f {print substr($0, 5); exit}' /lib/apk/db/installed)
	got=$(printf "$(sha1sum "/$f" | cut -c1-40 | sed 's/../\\x&/g')" | base64)
	[ -n "$want" ] && [ "$got" = "$want" ] && echo "$f: apk's checksum" ||
		echo "$f: $got, apk recorded '$want'"
done
