// SPDX-License-Identifier: GPL-2.0-only
/*
 * jobctl_compat - a 64-bit tracer of a 32-bit (ia32) tracee uses ptrace job
 * control: group-stop reports, PTRACE_JOBCTL_CONT, the SIGCONT notification,
 * the PTRACE_INTERRUPT re-report and the argument check of the request.
 *
 * The series' own kselftests run with tracer and tracees of one ABI: built
 * for x86_64, and built with -m32 (ptrace_32, a 32-bit tracer of 32-bit
 * tracees through compat_ptrace_request()).  This program covers the mixed
 * case a 64-bit debugger meets with a 32-bit program: the tracer's requests
 * take the native path, the tracee stops and restarts through the ia32
 * signal and system call restart code.
 *
 * Built twice by tools/runner/build-kselftest.sh: jobctl_compat (x86_64, the tracer,
 * run by the kselftest runner as ptrace_compat:jobctl_compat) and
 * jobctl_compat_32 (-m32), which the tracer executes with "--tracee": the
 * tracee says it is ready on fd 1, then sleeps in read(2) on fd 0 and exits
 * with the byte it reads.  Every case ends by letting the tracee read a byte
 * and checking its exit status, so that a read(2) interrupted by the stops
 * must have been restarted correctly in 32-bit mode.
 *
 * Without the 32-bit build the cases skip; on a kernel without
 * PTRACE_JOBCTL_CONT (EIO) the cases that use it skip.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/ptrace.h>

/* sys_ptrace() and PTRACE_JOBCTL_CONT: shared with the ptrace kselftests */
#include "jobctl.h"

#define TRACEE_ARG	"--tracee"
#define TRACEE_NAME	"jobctl_compat_32"
#define USER32_CS	0x23	/* __USER32_CS: the tracee runs in 32-bit mode */
#define EXIT_BYTE	42

/* The 32-bit side: ready byte on fd 1, then a read(2) that must survive the stops. */
static int tracee_main(void)
{
	char c = 1;

	if (write(1, &c, 1) != 1)
		return 3;
	if (read(0, &c, 1) != 1)
		return 4;
	return (unsigned char)c;
}

/* The tracer side: x86_64 only (jobctl_compat_32 is only ever the tracee). */
#ifdef __x86_64__
#include "kselftest_harness.h"

static bool is_event_stop(int status, int sig)
{
	return WIFSTOPPED(status) && WSTOPSIG(status) == sig &&
	       (status >> 16) == PTRACE_EVENT_STOP;
}

FIXTURE(compat) {
	pid_t pid;
	int go;		/* write end of the tracee's fd 0 */
};

FIXTURE_SETUP(compat)
{
	char exe[PATH_MAX], path[PATH_MAX + sizeof(TRACEE_NAME)];
	int go[2], ready[2];
	ssize_t n;
	char c;

	self->pid = 0;
	self->go = -1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_GT(n, 0);
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s", exe);
	*strrchr(path, '/') = '\0';
	strcat(path, "/" TRACEE_NAME);
	if (access(path, X_OK))
		SKIP(return, "no 32-bit tracee %s (needs gcc -m32)", path);

	ASSERT_EQ(pipe(go), 0);
	ASSERT_EQ(pipe(ready), 0);
	self->pid = fork();
	ASSERT_GE(self->pid, 0);
	if (self->pid == 0) {
		if (dup2(go[0], 0) < 0 || dup2(ready[1], 1) < 0)
			_exit(5);
		execl(path, TRACEE_NAME, TRACEE_ARG, (char *)NULL);
		_exit(6);
	}
	close(go[0]);
	close(ready[1]);
	self->go = go[1];
	ASSERT_EQ(read(ready[0], &c, 1), 1) {
		TH_LOG("the 32-bit tracee did not start");
	}
	close(ready[0]);
	ASSERT_EQ(sys_ptrace(PTRACE_SEIZE, self->pid, 0, 0), 0) {
		TH_LOG("PTRACE_SEIZE: %s", strerror(errno));
	}
}

FIXTURE_TEARDOWN(compat)
{
	if (self->pid > 0) {
		kill(self->pid, SIGKILL);
		waitpid(self->pid, NULL, __WALL);
	}
	if (self->go >= 0)
		close(self->go);
}

/* Wait for the next report of the tracee (the harness' timeout bounds it). */
static int next_stop(struct __test_metadata *_metadata, pid_t pid)
{
	int status = 0;

	EXPECT_EQ(waitpid(pid, &status, __WALL), pid);
	return status;
}

/* SIGSTOP, injected: the group-stop report, PTRACE_EVENT_STOP with SIGSTOP. */
static int group_stop(struct __test_metadata *_metadata, pid_t pid)
{
	int status;

	EXPECT_EQ(kill(pid, SIGSTOP), 0);
	status = next_stop(_metadata, pid);
	EXPECT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP &&
		    (status >> 16) == 0) {
		TH_LOG("expected the signal-delivery-stop of SIGSTOP, got 0x%x", status);
	}
	EXPECT_EQ(sys_ptrace(PTRACE_CONT, pid, 0, SIGSTOP), 0);
	status = next_stop(_metadata, pid);
	EXPECT_TRUE(is_event_stop(status, SIGSTOP)) {
		TH_LOG("expected PTRACE_EVENT_STOP with SIGSTOP, got 0x%x", status);
	}
	return status;
}

/* PTRACE_JOBCTL_CONT in the current stop; false (and SKIP) where it does not exist. */
static bool jobctl_cont(struct __test_metadata *_metadata, pid_t pid)
{
	if (!sys_ptrace(PTRACE_JOBCTL_CONT, pid, 0, 0))
		return true;
	EXPECT_EQ(errno, EIO) {
		TH_LOG("PTRACE_JOBCTL_CONT: %s", strerror(errno));
	}
	return false;
}

/* Nothing reported for a while: the tracee stays in its stop. */
static void no_report(struct __test_metadata *_metadata, pid_t pid)
{
	int status = 0, i;

	for (i = 0; i < 20; i++) {
		usleep(10000);
		ASSERT_EQ(waitpid(pid, &status, __WALL | WNOHANG), 0) {
			TH_LOG("unexpected report 0x%x", status);
		}
	}
}

/* Let the tracee go: it must read EXIT_BYTE and exit with it. */
static void tracee_exits(struct __test_metadata *_metadata, pid_t *pid, int go)
{
	char c = EXIT_BYTE;
	int status;

	ASSERT_EQ(write(go, &c, 1), 1);
	for (;;) {
		status = next_stop(_metadata, *pid);
		if (!WIFSTOPPED(status))
			break;
		/* A SIGCONT or a late trap: suppress it and go on. */
		ASSERT_EQ(sys_ptrace(PTRACE_CONT, *pid, 0, 0), 0);
	}
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_BYTE) {
		TH_LOG("tracee ended with status 0x%x, want exit %d", status, EXIT_BYTE);
	}
	*pid = 0;
}

TEST_F(compat, tracee_is_ia32)
{
	struct user_regs_struct regs;
	int status;

	ASSERT_EQ(sys_ptrace(PTRACE_INTERRUPT, self->pid, 0, 0), 0);
	status = next_stop(_metadata, self->pid);
	ASSERT_TRUE(is_event_stop(status, SIGTRAP)) {
		TH_LOG("expected PTRACE_EVENT_STOP with SIGTRAP, got 0x%x", status);
	}
	ASSERT_EQ(sys_ptrace(PTRACE_GETREGS, self->pid, 0, (unsigned long)&regs), 0);
	ASSERT_EQ(regs.cs, USER32_CS) {
		TH_LOG("cs 0x%llx: the tracee is not a 32-bit task", regs.cs);
	}
	ASSERT_EQ(sys_ptrace(PTRACE_CONT, self->pid, 0, 0), 0);
	tracee_exits(_metadata, &self->pid, self->go);
}

TEST_F(compat, jobctl_cont_sigcont)
{
	siginfo_t si;
	int status;

	group_stop(_metadata, self->pid);
	if (!jobctl_cont(_metadata, self->pid))
		SKIP(return, "no PTRACE_JOBCTL_CONT");
	no_report(_metadata, self->pid);
	ASSERT_EQ(kill(self->pid, SIGCONT), 0);
	status = next_stop(_metadata, self->pid);
	ASSERT_TRUE(is_event_stop(status, SIGTRAP)) {
		TH_LOG("after SIGCONT: expected PTRACE_EVENT_STOP with SIGTRAP, got 0x%x",
		       status);
	}
	ASSERT_EQ(sys_ptrace(PTRACE_GETSIGINFO, self->pid, 0, (unsigned long)&si), 0);
	EXPECT_EQ(si.si_signo, SIGTRAP);
	EXPECT_EQ(si.si_code, status >> 8);
	ASSERT_EQ(sys_ptrace(PTRACE_CONT, self->pid, 0, 0), 0);
	/* The SIGCONT itself, then the read(2) goes on. */
	status = next_stop(_metadata, self->pid);
	ASSERT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGCONT &&
		    (status >> 16) == 0) {
		TH_LOG("expected the signal-delivery-stop of SIGCONT, got 0x%x", status);
	}
	ASSERT_EQ(sys_ptrace(PTRACE_CONT, self->pid, 0, 0), 0);
	tracee_exits(_metadata, &self->pid, self->go);
}

TEST_F(compat, interrupt_rereport)
{
	struct user_regs_struct regs;
	int first, again;

	first = group_stop(_metadata, self->pid);
	if (!jobctl_cont(_metadata, self->pid))
		SKIP(return, "no PTRACE_JOBCTL_CONT");
	ASSERT_EQ(sys_ptrace(PTRACE_INTERRUPT, self->pid, 0, 0), 0);
	again = next_stop(_metadata, self->pid);
	ASSERT_EQ(again, first) {
		TH_LOG("re-report 0x%x differs from the first report 0x%x", again, first);
	}
	ASSERT_EQ(sys_ptrace(PTRACE_GETREGS, self->pid, 0, (unsigned long)&regs), 0);
	EXPECT_EQ(regs.cs, USER32_CS);
	ASSERT_EQ(kill(self->pid, SIGCONT), 0);
	ASSERT_EQ(sys_ptrace(PTRACE_CONT, self->pid, 0, 0), 0);
	tracee_exits(_metadata, &self->pid, self->go);
}

/* What the tracer writes in the first stop is what the tracee has in the second. */
TEST_F(compat, registers_survive_retrap)
{
	struct user_regs_struct regs;
	unsigned long long esi;
	int status;

	group_stop(_metadata, self->pid);
	ASSERT_EQ(sys_ptrace(PTRACE_GETREGS, self->pid, 0, (unsigned long)&regs), 0);
	esi = regs.rsi;
	regs.rsi = 0x5a5a1234;
	ASSERT_EQ(sys_ptrace(PTRACE_SETREGS, self->pid, 0, (unsigned long)&regs), 0);
	if (!jobctl_cont(_metadata, self->pid))
		SKIP(return, "no PTRACE_JOBCTL_CONT");
	ASSERT_EQ(kill(self->pid, SIGCONT), 0);
	status = next_stop(_metadata, self->pid);
	ASSERT_TRUE(is_event_stop(status, SIGTRAP)) {
		TH_LOG("after SIGCONT: expected PTRACE_EVENT_STOP with SIGTRAP, got 0x%x",
		       status);
	}
	ASSERT_EQ(sys_ptrace(PTRACE_GETREGS, self->pid, 0, (unsigned long)&regs), 0);
	EXPECT_EQ(regs.rsi, 0x5a5a1234);
	EXPECT_EQ(regs.cs, USER32_CS);
	regs.rsi = esi;
	ASSERT_EQ(sys_ptrace(PTRACE_SETREGS, self->pid, 0, (unsigned long)&regs), 0);
	ASSERT_EQ(sys_ptrace(PTRACE_CONT, self->pid, 0, 0), 0);
	tracee_exits(_metadata, &self->pid, self->go);
}

/* addr and data are reserved: EINVAL where the request exists (the probe). */
TEST_F(compat, jobctl_cont_einval)
{
	int status;

	ASSERT_EQ(sys_ptrace(PTRACE_INTERRUPT, self->pid, 0, 0), 0);
	status = next_stop(_metadata, self->pid);
	ASSERT_TRUE(is_event_stop(status, SIGTRAP));
	errno = 0;
	if (sys_ptrace(PTRACE_JOBCTL_CONT, self->pid, 0, ~0UL) && errno == EIO)
		SKIP(return, "no PTRACE_JOBCTL_CONT");
	EXPECT_EQ(errno, EINVAL);
	errno = 0;
	EXPECT_EQ(sys_ptrace(PTRACE_JOBCTL_CONT, self->pid, 1, 0), -1);
	EXPECT_EQ(errno, EINVAL);
	ASSERT_EQ(sys_ptrace(PTRACE_CONT, self->pid, 0, 0), 0);
	tracee_exits(_metadata, &self->pid, self->go);
}

#endif /* __x86_64__ */

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], TRACEE_ARG))
		return tracee_main();
#ifdef __x86_64__
	return test_harness_run(argc, argv);
#else
	fprintf(stderr, "usage: %s %s (the tracer is the x86_64 build)\n", argv[0], TRACEE_ARG);
	return 2;
#endif
}
