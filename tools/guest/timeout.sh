#!/bin/sh
# /usr/bin/timeout in the guest. kselftest's runner.sh calls
# "/usr/bin/timeout --foreground T /usr/bin/timeout T TEST"; busybox's timeout has no
# --foreground (there is no job control to escape in the guest anyway) and exits 143 when it
# had to kill, where runner.sh expects coreutils' 124 to report "# TIMEOUT".
[ "$1" = --foreground ] && shift
busybox timeout "$@"
rc=$?
[ $rc -eq 143 ] && rc=124
exit $rc
