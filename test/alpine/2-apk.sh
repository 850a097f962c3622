# apk-tools: the package database of the minirootfs, then installing from
# a local repository (a copy of the shared offline mirror).
apk --version
apk info | sort | tr '\n' ' '; echo
apk info -e musl busybox
apk info -e make || echo "make not installed yet"
cat /etc/apk/repositories
apk add --no-network openrc make binutils musl-dev 2>&1
echo "apk add status $?"
apk info -e openrc make binutils musl-dev
apk info | wc -l
