# The root is the ext4 disk, mounted read-write: its type and flag in
# /proc/mounts; a file and a directory made and removed.
awk '$2 == "/" {split($4, o, ","); t = $3 " " o[1]} END {print t}' /proc/mounts
echo probe > /rw-probe && cat /rw-probe && rm /rw-probe && echo "file made, read, removed"
mkdir /rw-dir && rmdir /rw-dir && echo "directory made and removed"
test -e /rw-probe || echo "no /rw-probe"
cat /etc/hostname
