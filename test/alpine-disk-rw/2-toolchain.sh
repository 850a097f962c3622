# The installed tools run from the disk and write their output to it:
# test/alpine/3-toolchain.sh (copied into the image as toolchain.inc) in
# /root/tc on the ext4 root instead of tmpfs.
rm -rf /root/tc && mkdir -p /root/tc
TC_DIR=/root/tc . /tests/alpine-disk-rw/toolchain.inc
# A second make finds everything up to date (timestamps on ext4).
make
