#!/bin/sh
# Guest step: only the series' job control kselftests (ptrace:jobctl): the kselftest step with
# that one test. make proof uses it to compare kernels without the unrelated tests' time.
PTJ_KSFT_ONLY=ptrace:jobctl exec /ptj/steps/kselftest
