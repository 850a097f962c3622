# GNU bash: arrays, associative arrays, [[ ]], here-strings, process
# substitution, traps, functions, arithmetic, mapfile, coprocesses.
bash <<'BASH'
set -u
arr=(zero one two three)
echo "${#arr[@]} ${arr[2]} ${arr[@]:1:2}"
declare -A color=([apple]=red [banana]=yellow)
for k in $(printf '%s\n' "${!color[@]}" | sort); do echo "$k=${color[$k]}"; done
[[ "hello world" =~ ^h(.*)o\ w ]] && echo "match ${BASH_REMATCH[1]}"
read -r a b <<< "left right"; echo "$b $a"
diff <(printf 'a\nb\n') <(printf 'a\nc\n') | tail -2
mapfile -t lines < <(seq 3 -1 1); echo "${lines[*]}"
f() { local x=$1; echo $((x * x + ${2:-0})); }
f 7 1
trap 'echo "trapped USR1"' USR1; kill -USR1 $$
( exit 4 ); echo "subshell $?"
coproc CAT { tr a-z A-Z; }
echo shout >&"${CAT[1]}"; exec {CAT[1]}>&-; read -r up <&"${CAT[0]}"; echo "$up"; wait
printf -v padded '%05d' 42; echo "$padded"
echo "${BASH_VERSINFO[0]}" | grep -q '^5$' && echo "bash 5"
BASH
