# Ptrace job control series: apply, build, boot, test. Every target is a command of
# tools/ptj.sh, which declares the targets and variables and prints their help (`make help`).
# Variables given to make (make KERNEL=vanilla) reach it through the environment.
PTJ := $(CURDIR)/tools/ptj.sh
TARGETS := $(shell $(PTJ) --targets)

.DEFAULT_GOAL := test
.NOTPARALLEL:
.PHONY: $(TARGETS)
$(TARGETS):
	@$(PTJ) $@
