#!/bin/sh
# The kernels built for one instruction set must not run code at start-up: a static initializer
# there is compiled for that instruction set and runs on every CPU, before any check of what the
# CPU supports (an AVX-512 table built at start-up ends the program on an AVX2 machine).
# usage: check_no_startup_code.sh OBJECT...
status=0
for o in "$@"; do
    if nm "$o" | grep -q '_GLOBAL__sub_I'; then
        echo "$o: has a static initializer"
        status=1
    fi
done
[ $# -gt 0 ] || { echo "no object files given"; exit 1; }
[ $status -eq 0 ] && echo "$# per-instruction-set kernel objects, none runs code at start-up"
exit $status
