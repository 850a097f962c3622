# apk-tools reads its installed database from the read-only disk root
# (apk add needs a writable root: it runs from the initramfs only, in
# test/alpine).
apk --version | cut -d, -f1
apk info 2>&1 | sort
apk info -e musl busybox nosuchpackage; echo "info -e status $?"
apk info -W /bin/busybox 2>&1
apk add --no-network make > /tmp/apk-add.log 2>&1; echo "add status $?"
head -2 /tmp/apk-add.log
