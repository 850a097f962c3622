# ls, cp, mv, rm, ln, cmp, wc on a fresh directory.
d=/tmp/bb-files.$$; mkdir -p $d && cd $d || exit 1
echo one > a; printf 'two\nthree\n' > b
cp a c; mv b d; ln -s a link; ln a hard
ls
ls -l link | sed 's/.* link/link/'
cat link d
cmp a c && echo same
cmp a d >/dev/null || echo differ
wc -l d; wc -c < a
ls -l a | awk '{print $2}'
rm a; cat hard; ls
[ -L link ] && [ ! -e link ] && echo dangling
mkdir -p x/y/z; touch x/y/z/f; rm -r x; ls
cd /; rm -rf $d
