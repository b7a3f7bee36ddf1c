# Background jobs: $!, wait, exit statuses, concurrency.
umask 022
dir=$(mktemp -d /tmp/qscript.XXXXXX) || exit 1
trap 'rm -rf "$dir"' EXIT

echo "== one job"
sleep 0.1 &
p=$!
[ -n "$p" ] && [ "$p" != "$$" ] && echo "have a pid"
wait $p
echo "wait: $?"

echo "== statuses"
(exit 3) &
a=$!
(sleep 0.2; exit 4) &
b=$!
sh -c 'exit 5' &
c=$!
wait $b; echo "b: $?"
wait $a; echo "a: $?"
wait $c; echo "c: $?"

echo "== wait for all"
for i in 1 2 3 4 5; do
	(sleep 0.0$i; echo "job $i" > "$dir/job.$i") &
done
wait
echo "wait all: $?"
cat "$dir"/job.* | sort

echo "== jobs writing to a shared pipe"
for i in 1 2 3; do
	(seq $i 3 30 | awk -v j=$i '{ print "j" j ":" $1 }') &
done | sort -t: -k2n | head -n 5
echo "pipe status: $?"

echo "== killing jobs"
# Whether the shell reports a background job's death by signal on
# standard error depends on when it reaps the job; the statuses do not.
{
	sleep 10 &
	k=$!
	kill $k
	wait $k
	echo "killed TERM: $?"
	sleep 10 &
	k=$!
	kill -KILL $k
	wait $k
	echo "killed KILL: $?"
	sleep 10 &
	k=$!
	kill -HUP $k
	wait $k
	echo "killed HUP: $?"
	sh -c 'kill -USR1 $$' &
	wait $!
	echo "self USR1: $?"
} 2>/dev/null
kill -0 $k 2>/dev/null || echo "gone: kill -0 fails"

echo "== job output order"
(sleep 1; echo slow) > "$dir/slow" &
s=$!
(echo fast) > "$dir/fast" &
f=$!
wait $f
cat "$dir/fast"
[ -s "$dir/slow" ] && echo "slow finished too early" || echo "slow not yet"
wait $s
cat "$dir/slow"

echo "== background with redirected input"
printf '3\n1\n2\n' > "$dir/nums"
sort -n < "$dir/nums" > "$dir/sorted" &
wait $!
tr '\n' ' ' < "$dir/sorted"
echo
echo "== wait on unknown pid"
wait 999999 2>/dev/null
echo "unknown: $?"
