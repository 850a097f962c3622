# The root is the ext4 disk, mounted read-only: its type and flag in
# /proc/mounts, writes refused with EROFS, files read back.
awk '$2 == "/" {split($4, o, ","); t = $3 " " o[1]} END {print t}' /proc/mounts
touch /newfile 2>&1; echo "touch status $?"
mkdir /newdir 2>&1; echo "mkdir status $?"
test -e /newfile || echo "no /newfile"
md5sum /etc/alpine-release /lib/ld-musl-x86_64.so.1 | awk '{print $2, length($1)}'
cat /etc/hostname
ls /tests/alpine-disk
