# Alpine's BusyBox (dynamically linked against musl): the shell and applets.
cat /etc/alpine-release
readlink /bin/sh
ls -l /bin/busybox | awk '{print $1, $NF}'
echo $((6 * 7)) "$(echo nested | tr a-z A-Z)"
seq 1 200 | sort -rn | head -3 | tr '\n' ' '; echo
printf 'b 2\na 1\nc 3\n' | sort | sed 's/ /=/' | awk -F= '{s += $2; print $1} END {print "sum", s}'
mkdir -p /tmp/sh && cd /tmp/sh && echo hello > f && gzip -k f && gunzip -c f.gz && tar cf t.tar f f.gz && tar tf t.tar
(sleep 0.1; exit 3) & wait $!; echo "bg status $?"
grep -c ^root: /etc/passwd
id -u; id -un
test -e /lib/ld-musl-x86_64.so.1 && echo interpreter present
