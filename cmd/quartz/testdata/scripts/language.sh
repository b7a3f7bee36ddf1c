# The shell language: functions, case, arithmetic, string operations,
# printf, read loops, positional parameters.

echo "== functions"
greet() {
	local who=${1:-nobody}
	echo "hello $who ($# args)"
	return 3
}
greet
echo "returned $?"
greet alice bob
who=global
scoped() { local who=local; echo "inside: $who"; }
scoped
echo "outside: $who"
fib() {
	if [ "$1" -le 1 ]; then echo "$1"; return; fi
	echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) ))
}
echo "fib 12: $(fib 12)"
counter=0
bump() { counter=$((counter + 1)); }
bump; bump; bump
echo "counter: $counter"
args() { for a in "$@"; do printf '[%s]' "$a"; done; echo; }
args one "two words" "" three
set -- x "y z" w
args "$@"
args $*
args "$*"
echo "count $#, first $1"
shift
echo "after shift: $1"
shift 2
echo "after shift 2: $#"

echo "== case"
classify() {
	case $1 in
	[0-9]|[0-9][0-9]) echo "$1: small number" ;;
	[0-9]*) echo "$1: big number" ;;
	*.txt|*.md) echo "$1: text file" ;;
	-*) echo "$1: option" ;;
	"") echo "empty" ;;
	?) echo "$1: one char" ;;
	*) echo "$1: other" ;;
	esac
}
for w in 7 42 1234 notes.txt README.md --verbose "" x something; do classify "$w"; done
case yes in y*) echo "fallthrough first";; yes) echo "never";; esac

echo "== arithmetic"
i=5
echo $((i * 3 + 2)) $((i / 2)) $((i % 3)) $((-i)) $((i ** 2))
echo $((1 << 10)) $((255 & 15)) $((8 | 3)) $((6 ^ 3)) $((~0))
echo $((i > 3 && i < 10)) $((i == 5 ? 100 : 200)) $((!0))
echo $((0x1f)) $((010)) $((2#1011))
j=0
while [ $j -lt 5 ]; do j=$((j + 1)); done
echo "j=$j"
: $((k = 7)) $((k += 3))
echo "k=$k"
n=10; n=$((n * n - 1)); echo "n=$n"
echo $(( (3 + 4) * (5 - 2) ))
echo $((9223372036854775807 + 1))
(x=$((1 / 0))) 2>/dev/null || echo "division by zero fails: $?"

echo "== string operations"
s="/usr/local/lib/libfoo.so.1.2"
echo "${#s}"
echo "${s#*/}"
echo "${s##*/}"
echo "${s%.*}"
echo "${s%%.*}"
echo "${s/lib/LIB}"
echo "${s//lib/LIB}"
echo "${s:5:5}"
echo "${s: -3}"
unset u
echo "${u:-default} ${u-unset-default}"
empty=
echo "[${empty:-for-empty}] [${empty-not-used}]"
echo "${u:=assigned} $u"
echo "[${s:+set}] [${nothing:+set}]"
(: ${must:?is required}) 2>&1 | sed 's/.*: //'
str="Hello World"
upper=$(echo "$str" | tr a-z A-Z)
echo "$upper"
[ "${str#Hello}" != "$str" ] && echo "starts with Hello"
case $str in *World) echo "ends with World" ;; esac
long=""
for i in 1 2 3 4 5; do long="$long$i,"; done
echo "${long%,}"
IFS=: read a b c <<EOT
f1:f2:f3:f4
EOT
echo "a=$a b=$b c=$c"
old=$IFS; IFS=,; set -- $long; IFS=$old
echo "split: $# parts, third $3"

echo "== printf"
printf '%s|%5s|%-5s|%.2s\n' abc abc abc abc
printf '%d|%5d|%-5d|%05d|%+d\n' 42 42 42 42 42
printf '%x %X %o %c %%\n' 255 255 8 A
printf '%.3f %e %g\n' 3.14159 12345.678 0.0001
printf '%s\n' one two three
printf '%s=%s\n' a 1 b 2
printf 'tab\there\nnewline\\n literal\n'
printf '%b\n' 'escapes\tin\targ'
printf '\101\102\n'
printf '%3$s %1$s %2$s\n' a b c 2>/dev/null || echo "positional printf unsupported"

echo "== read loops"
printf 'one 1\ntwo 2\nthree 3\n' | while read name num; do
	echo "$num:$name"
done
printf 'a\\b  c  \n' | { read -r line; echo "raw [$line]"; }
printf 'a\\b  c  \n' | { IFS= read -r line; echo "ifs-empty [$line]"; }
printf 'no newline at end' | { read line; echo "status $? [$line]"; }
printf 'x\ny\n' | { n=0; while read l; do n=$((n + 1)); done; echo "lines $n"; }
total=0
while read -r word count; do
	case $word in \#*) continue ;; esac
	[ "$word" = stop ] && break
	total=$((total + count))
done <<EOT
# comment line
apples 3
pears 4
stop 100
grapes 5
EOT
echo "total $total"

echo "== loops and tests"
for i in $(seq 1 10); do
	[ $((i % 2)) -eq 0 ] && continue
	[ $i -gt 7 ] && break
	printf '%s ' $i
done
echo
until [ "${m:-0}" -ge 3 ]; do m=$((${m:-0} + 1)); done
echo "until m=$m"
for f in a b; do for g in 1 2; do printf '%s%s ' $f $g; done; done
echo
[ "abc" \< "abd" ] && echo "string less"
[ 10 -gt 9 ] && [ ! 1 -eq 2 ] && echo "numeric tests"
test -z "" && test -n x && echo "empty tests"
[[ abc == a* ]] && echo "double bracket glob"
set -f; for g in *; do echo "noglob: $g"; done; set +f
