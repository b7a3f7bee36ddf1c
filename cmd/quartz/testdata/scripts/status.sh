# Exit statuses: $?, set -e, exit N in subshells, failing commands.

echo "== simple statuses"
true; echo "true $?"
false; echo "false $?"
! true; echo "! true $?"
! false; echo "! false $?"
nosuchcommand 2>/dev/null; echo "not found $?"
/no/such/path/cmd 2>/dev/null; echo "no path $?"
/etc/passwd 2>/dev/null; echo "not executable $?"
/tmp 2>/dev/null; echo "directory $?"
sh -c 'exit 255'; echo "exit 255: $?"
sh -c 'exit 256'; echo "exit 256: $?"
sh -c 'exit -1' 2>/dev/null; echo "exit -1: $?"
ls /no/such 2>/dev/null; echo "ls missing $?"
test 1 -eq 2; echo "test false $?"
test 1 -eq x 2>/dev/null; echo "test error $?"
grep -q root /etc/passwd; echo "grep hit $?"
grep -q nosuchuser-xyz /etc/passwd; echo "grep miss $?"
expr 0 > /dev/null; echo "expr zero $?"
cat < /dev/null; echo "cat empty $?"

echo "== error messages"
nosuchcommand
echo "status $?"
cd /no/such/dir
echo "cd status $?"
cat /no/such/file
ls -d /no/such
sh -c 'echo "syntax (" ; if then' ; echo "syntax error status $?"

echo "== && || chains"
true && echo "and runs"
false && echo "not printed"
false || echo "or runs"
true || echo "not printed"
false || false || echo "second or"
true && false || echo "mixed chain"
{ false; true; } && echo "group status is last"
if false; then echo no; elif true; then echo "elif taken"; else echo no; fi
if sh -c 'exit 3'; then :; else echo "else with status $?"; fi
while false; do :; done; echo "while false status $?"

echo "== set -e"
(
	set -e
	echo "start"
	true
	false || echo "guarded false"
	if ! false; then echo "negated in if"; fi
	false && echo "never"
	echo "survived and-list"
	x=$(false) || echo "guarded substitution"
	sh -c 'exit 6'
	echo "never reached"
)
echo "set -e subshell exit: $?"
(
	set -e
	f() { false; echo "in function after false"; }
	f || echo "function in || context"
	echo "still running"
	f
	echo "not reached"
)
echo "function under set -e: $?"
(
	set -e
	trap 'echo "exit trap sees $?"' EXIT
	(exit 8)
)
echo "set -e with exit trap: $?"
sh -e -c 'echo sh -e; false; echo no'; echo "sh -e: $?"
sh -c 'set -u; echo "$undefined_var"' 2>/dev/null; echo "set -u: $?"

echo "== exit in nested subshells"
( ( ( exit 21 ); exit $(( $? + 1 )) ); exit $(( $? + 1 )) )
echo "nested: $?"
v=$( (exit 30); echo "inner $?" )
echo "captured: $v"
( exit 300 ); echo "exit 300: $?"
f() { return 44; }
f; echo "return: $?"
g() { (exit 45); }
g; echo "function ending in subshell: $?"
h() { false; }
if h; then echo no; else echo "function false in if: $?"; fi
( exit 7 ) | ( exit 8 ); echo "pipeline: $?"
sh -c 'kill -TERM $$'; echo "killed self: $?"
sh -c 'kill -HUP $$'; echo "hup: $?"
sh -c 'exec false'; echo "exec false: $?"
exit 23
