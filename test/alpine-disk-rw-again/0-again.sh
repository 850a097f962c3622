# The disk after the first boot's apk add, toolchain and files, mounted
# read-only: what was written there is read back from the disk.
awk '$2 == "/" {split($4, o, ","); t = $3 " " o[1]} END {print t}' /proc/mounts
apk info -e openrc make binutils musl-dev
apk info | wc -l
make --version | head -1
/root/tc/raw
/root/tc/hello
cd /root/tc && make -q; echo "make -q status $?"
wc -c < /root/persist/big
md5sum /root/persist/big /root/persist/name | awk '{print $1, $2}'
ls /root/persist
touch /root/persist/new 2>&1; echo "touch status $?"
