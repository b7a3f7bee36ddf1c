# Traps on signals and on exit, signals sent with kill.
umask 022
dir=$(mktemp -d /tmp/qscript.XXXXXX) || exit 1
mkfifo "$dir/ready" || exit 1

trap 'st=$?; rm -rf "$dir"; echo "EXIT trap, status $st"' EXIT

echo "== traps on the shell itself"
trap 'echo caught USR1' USR1
trap 'echo caught TERM' TERM
trap 'echo caught INT' INT
kill -USR1 $$
echo "after USR1"
kill -TERM $$
echo "after TERM"
kill -INT $$
echo "after INT"
kill -s USR1 $$
kill -10 $$
echo "numbered signal done"

echo "== trap with a function and variables"
hits=0
on_usr1() { hits=$((hits + 1)); }
trap on_usr1 USR1
kill -USR1 $$
kill -USR1 $$
kill -USR1 $$
echo "hits: $hits"

echo "== listing and resetting traps"
trap 'echo term2' TERM
trap
trap - TERM
t=$(trap)
echo "$t" | grep -c TERM
trap '' USR1
kill -USR1 $$
echo "ignored USR1 survived"

echo "== ignored signals are inherited"
sh -c 'kill -USR1 $$; echo "child survived ignored USR1"'
echo "status: $?"
trap - USR1
sh -c 'kill -USR1 $$; echo "not printed"'
echo "child killed by USR1: $?"

echo "== traps in children"
sh -c 'trap "echo child TERM; exit 7" TERM; kill -TERM $$; echo not reached'
echo "child trap exit: $?"
sh -c 'trap "echo child exit trap" EXIT; exit 3'
echo "child exit status: $?"
(trap 'echo subshell EXIT' EXIT; echo in subshell; exit 6)
echo "subshell status: $?"
sh -c 'trap "echo child INT" INT; kill -INT $$; echo continues; exit 0'
echo "child INT status: $?"

echo "== signal to a waiting child"
sh -c 'trap "kill \$!; echo got TERM while sleeping; exit 9" TERM; sleep 5 & echo > "$1"; wait' sh "$dir/ready" &
c=$!
read ready < "$dir/ready"
kill -TERM $c
wait $c
echo "waiting child: $?"

echo "== signal while the shell waits"
trap 'echo parent USR1 during wait' USR1
(sleep 0.3; kill -USR1 $$) &
sleep 2 &
s=$!
wait $s
echo "wait interrupted: $?"
wait $s
echo "wait resumed: $?"
wait
trap - USR1

echo "== exit trap runs on exit N"
(trap 'echo "sub EXIT saw $?"' EXIT; exit 11)
echo "status $?"
sh -c 'trap "echo TERM then exit; exit 12" TERM; trap "echo final exit trap" EXIT; kill $$'
echo "status $?"
exit 2
