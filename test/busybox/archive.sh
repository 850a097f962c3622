# tar, gzip, md5sum, dd.
d=/tmp/bb-arch.$$; mkdir -p $d/src/sub && cd $d || exit 1
echo alpha > src/a; seq 1 1000 > src/sub/numbers
dd if=/dev/zero of=src/zeros bs=1024 count=64 2>/dev/null
md5sum src/a src/sub/numbers src/zeros | sed 's| src/| |'
tar cf out.tar src && tar tf out.tar | sort
gzip -9 out.tar && ls out.tar.gz
mkdir dst && cd dst && tar xzf ../out.tar.gz && cd ..
cmp src/sub/numbers dst/src/sub/numbers && echo extracted
gzip -dc out.tar.gz | wc -c
echo hello | gzip | gzip -d
cd /; rm -rf $d
