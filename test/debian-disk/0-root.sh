# The root is the ext4 disk, mounted read-only: its type and flag in
# /proc/mounts, writes refused with EROFS, files read back.
awk '$2 == "/" {split($4, o, ","); t = $3 " " o[1]} END {print t}' /proc/mounts
touch /newfile 2>&1; echo "touch status $?"
mkdir /newdir 2>&1; echo "mkdir status $?"
test -e /newfile || echo "no /newfile"
md5sum /etc/debian_version /usr/bin/gcc-12 | awk '{print $2, length($1)}'
# The bytes read back are the ones dpkg installed: md5sum -c against
# the packages' lists (paths relative to /).
grep -h ' usr/bin/x86_64-linux-gnu-gcc-12$' /var/lib/dpkg/info/gcc-12.md5sums |
	md5sum -c
grep -h ' lib/x86_64-linux-gnu/libc.so.6$' /var/lib/dpkg/info/libc6:amd64.md5sums |
	md5sum -c
cat /etc/hostname
ls /tests/debian-disk | grep -c '\.sh$'
