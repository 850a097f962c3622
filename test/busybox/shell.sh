# Shell features: pipelines, redirections, subshells, functions, traps,
# here-documents, arithmetic, exit statuses, background jobs and wait.
f() { echo "f got $# args: $*"; return 3; }
f x y z; echo "status $?"
x=$((6 * 7)); echo "x=$x"
(cd /tmp && pwd); pwd
echo out > /tmp/redir.$$; echo more >> /tmp/redir.$$; cat < /tmp/redir.$$
ls /nonexistent 2>/dev/null || echo "ls failed"
echo err 1>&2 2>/dev/null | cat
cat <<END
here $x
END
false | true; echo "pipeline status $?"
sleep 0.2 & pid=$!; wait $pid; echo "waited $?"
(exit 5); echo "subshell $?"
trap 'echo trapped' USR1; kill -USR1 $$; echo after trap
for i in 1 2 3; do printf "%s " $i; done; echo
case abc in a*) echo matched;; esac
v=$(echo nested $(echo command)); echo "$v"
rm /tmp/redir.$$
