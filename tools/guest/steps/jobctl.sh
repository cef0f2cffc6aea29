#!/bin/sh
# Guest step: only the series' job control kselftests (ptrace:jobctl), through the kernel's
# own runner. make proof uses it to compare kernels without the unrelated tests' time.
cd /ptj/kselftest || exit 1
./run_kselftest.sh -t ptrace:jobctl
