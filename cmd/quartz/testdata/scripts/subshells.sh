# Subshells and command substitution.
umask 022

echo "== subshells do not leak"
x=outer
(x=inner; echo "in: $x")
echo "out: $x"
(cd /; echo "sub pwd: $(pwd)")
[ "$(pwd)" = / ] && echo "cd leaked" || echo "pwd kept"
(exit 3)
echo "subshell exit: $?"
( (exit 4) ; echo "nested: $?"; exit 5 )
echo "outer: $?"
{ x=group; }
echo "group sets: $x"

echo "== \$(...) and backticks"
n=$(seq 1 4 | wc -l)
echo "lines: $n"
echo "upper: $(echo abc | tr a-z A-Z)"
echo "tick: `echo back | sed 's/back/ticked/'`"
echo "nested: $(echo $(echo $(echo deep)))"
echo "nested ticks: `echo \`echo inner\``"
echo "mixed: $(echo `echo mix`ed)"
echo "arith in subst: $(( $(echo 6) * $(echo 7) ))"
v=$(printf 'trailing\n\n\n')
echo "[$v]"
v="$(printf 'a  b\tc')"
echo "[$v]"
set -- $(echo one two three)
echo "words: $# $2"
echo "status of subst: $(exit 9; echo no)$?"
out=$(echo visible; echo hidden >&2) 2>/dev/null
echo "captured: $out"
both=$(echo o; echo e >&2 2>&1) 2>&1
echo "both: $both"
echo "ls: $(ls /no/such 2>&1 | wc -l)"
long=$(seq 1 20000)
echo "long: ${#long}"

echo "== subshell pipelines and variables"
count=0
seq 1 5 | while read i; do count=$((count + i)); done
echo "pipe loop count (subshell): $count"
while read i; do count=$((count + i)); done <<EOT
$(seq 1 5)
EOT
echo "heredoc loop count: $count"

echo "== exit in subshells"
r=$(exit 42)
echo "assign status: $?"
if (exit 0); then echo "true subshell"; fi
if ! (exit 1); then echo "negated false subshell"; fi
( set -e; false; echo "not printed" )
echo "set -e subshell: $?"
( set -e; false || true; echo "or-true survives" )
( set -e; if false; then :; fi; echo "if-condition survives" )
( set -e; f() { return 3; }; f && :; echo "and-list survives"; f; echo "not printed" )
echo "after function failure: $?"
sh -c 'exit 17'
echo "sh -c exit: $?"
sh -c '(exit 18)'
echo "nested sh: $?"

echo "== eval and exec in subshell"
cmd='echo evaluated $((1+1))'
eval "$cmd"
(exec echo exec-replaced; echo never)
echo "after exec subshell: $?"
