# Files written to the disk survive sync: a 300 KiB file (many blocks,
# past the direct extent of a small file), a rename over an old name, an
# unlink; read back after sync.  The host checks the same names with
# debugfs after power off (test/harness.py: disk_rw_verify).
mkdir -p /root/persist && cd /root/persist
seq 1 50000 | awk '{printf "%05d line of the persist file\n", $1 % 100000}' | head -c 307200 > big
echo old > name && echo new > name.tmp && mv name.tmp name
echo doomed > gone && rm gone
sync && echo "sync status $?"
wc -c < big
md5sum big name | awk '{print $1, $2}'
cat name
ls /root/persist
