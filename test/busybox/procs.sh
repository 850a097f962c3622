# Processes: ps, kill, sleep, signals and exit codes seen by the shell.
# (Job status messages like "Terminated" go to stderr, which is dropped:
# when the shell prints them depends on timing.)
exec 2>/dev/null
sleep 10 & pid=$!
kill -0 $pid && echo alive
kill -TERM $pid; wait $pid; echo "status $?"
sleep 10 & pid=$!; kill -KILL $pid; wait $pid; echo "status $?"
sh -c 'exit 42'; echo "exit $?"
sh -c 'kill -INT $$'; echo "int $?"
ps -o pid,comm | grep -c '^ *[0-9]'  >/dev/null && echo ps works
true & wait; echo "wait all $?"
