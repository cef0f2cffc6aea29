// SPDX-License-Identifier: GPL-2.0-only
/*
 * jobctl_stress - seeded, bounded, randomised stress test of ptrace job
 * control: PTRACE_SEIZE, INTERRUPT, LISTEN, CONT, DETACH, GETREGSET,
 * GETSIGINFO and, if the kernel has it, PTRACE_JOBCTL_CONT, racing with
 * SIGSTOP, SIGTSTP, SIGCONT and SIGKILL.
 *
 * Part of the test loop of the PTRACE_JOBCTL_CONT series, not of the series
 * itself: tools/runner/build-kselftest.sh builds it (static) with the include paths
 * of the patched tree's kselftests, for kselftest.h and for the helpers it
 * shares with them, tools/testing/selftests/ptrace/jobctl.h, and installs
 * it next to the ptrace kselftests, outside their list.  The guest steps
 * stress and strace run it.
 *
 * Usage: jobctl_stress [-s SEED] [-n OPS] [-t SECONDS] [-p PROCS]
 *			[-T THREADS] [-b BOUND_SECONDS] [-v]
 *
 * The run ends after OPS operations (ptrace requests and signals sent) or
 * SECONDS seconds, whichever comes first; a watchdog (alarm) reports a
 * hang as a violation and kills everything.  The seed is printed: run
 * again with -s SEED to replay the same random choices (the interleaving
 * with the kernel differs from run to run, of course).
 *
 * Roles
 *
 *  tracer	the main thread: the only thread that makes ptrace requests
 *		and waits for the traced threads (a ptrace request must come
 *		from the tracer thread itself).
 *  signaller	a second thread of this process: random SIGSTOP, SIGTSTP,
 *		SIGCONT and, rarely, SIGKILL to the tracee processes.
 *  real parent	a child process which forks the tracee processes, replaces
 *		the killed ones on request, and publishes in shared memory
 *		what waitpid(WUNTRACED | WCONTINUED) tells it.  It must not be
 *		the tracer's thread group, or wait(2) would mix both views.
 *		It sleeps until SIGCHLD or a request comes.
 *  tracees	PROCS processes of THREADS threads each, in a process group
 *		of their own (SIGTSTP is discarded in an orphaned one), at
 *		nice 10 (the bounds are wall clock: the workload must not
 *		starve the roles that judge it), which loop in nanosleep,
 *		ppoll, getppid, sched_yield and short userspace spins.
 *		Threads are seized and detached at random; some stay
 *		untraced.
 *
 * Rounds
 *
 *  chaos	random requests on random threads while the signaller sends
 *		random signals.  Only what holds whatever the interleaving is
 *		checked (see "calm" below).
 *  settle	the signaller is stopped, every process gets SIGCONT, every
 *		tracee is resumed; settled when each traced thread has slept
 *		twice since it was last resumed with no report, no thread is
 *		stopped ('T' or 't' in /proc) and no signal is pending.
 *  check	one process at a time, a known sequence: INTERRUPT some
 *		traced threads (at least one thread keeps running) and
 *		JOBCTL_CONT or LISTEN them, SIGSTOP or SIGTSTP the process,
 *		let every tracee go (CONT, LISTEN, JOBCTL_CONT or DETACH),
 *		re-seize detached stopped threads, then SIGCONT (sometimes
 *		racing a burst of GETREGSET on a JOBCTL_CONT tracee) or
 *		SIGKILL, and settle again.  Every step is decidable.
 *
 * Invariants (each counted as "checked" every time it is decided)
 *
 *  request	a request returns what the tracer's knowledge implies:
 *		INTERRUPT always 0; requests on a reported, not resumed stop
 *		succeed (LISTEN and JOBCTL_CONT: 0 on a PTRACE_EVENT_STOP, EIO
 *		otherwise; JOBCTL_CONT with data != 0: EINVAL); ESRCH only
 *		after SIGKILL.  A "blind" request on a thread believed running
 *		may return 0, ESRCH or EIO (it may sit in an unreported stop).
 *  report	every wait(2) report is a PTRACE_EVENT_STOP with SIGTRAP or
 *		a stop signal, a signal-delivery-stop of a signal we send, or
 *		death by SIGKILL of a killed process; never a report for a
 *		thread that is not traced or already sits in a reported stop.
 *  interrupt	after INTERRUPT of a thread not in a reported stop, or after
 *		resuming one that was INTERRUPTed in its stop, a report comes
 *		within the bound.  Not after resuming a JOBCTL_CONT tracee
 *		which was not calm: it may have re-trapped unseen, and that
 *		trap, whose report the resume overwrote, consumed the
 *		INTERRUPT.
 *  jcont-req	GETREGSET, GETSIGINFO, CONT, DETACH on a JOBCTL_CONT tracee
 *		succeed while calm; ESRCH is tolerated only when a wakeup may
 *		legitimately be in flight (not calm, or killed), and then a
 *		new report must follow within the bound.
 *  siginfo	GETSIGINFO returns the siginfo of the stop that was reported
 *		(si_code == status >> 8 for a PTRACE_EVENT_STOP); if a
 *		JOBCTL_CONT tracee may have re-trapped, a PTRACE_EVENT_STOP.
 *  no-stale	no wait(2) reports a stale stop: a consumed stop is not
 *		reported again; after JOBCTL_CONT or LISTEN nothing is
 *		reported while calm; a report of such a tracee is a fresh
 *		trap (its voluntary context switch count went up); INTERRUPT
 *		of a calm JOBCTL_CONT tracee makes the same status reportable
 *		at once, without the tracee switching context.
 *  no-spurious	a JOBCTL_CONT or LISTEN tracee re-traps only for a cause
 *		(not calm, or INTERRUPT); in the check steps no other trap
 *		happens at all.
 *  stop-signal	WSTOPSIG of a PTRACE_EVENT_STOP is a stop signal only if a
 *		stop signal may be in effect, and SIGTRAP is not reported
 *		while the group is known to be stopped (real parent saw it,
 *		no SIGCONT since, thread resumed after that).  In the check
 *		steps: SIGTRAP while running, the stop signal sent while
 *		stopping or stopped, SIGTRAP for the first report after
 *		SIGCONT.
 *  notify	a JOBCTL_CONT or LISTEN tracee reports each job control
 *		change: the group stop initiated by another thread (check
 *		step), and the first SIGCONT after a stop reported with a
 *		stop signal (chaos and check steps), within the bound.
 *  group-stop	after SIGSTOP/SIGTSTP with the tracer letting every tracee
 *		go, the real parent sees WIFSTOPPED with that signal, once,
 *		within the bound; every traced thread reported its group
 *		stop; untraced threads are 'T', subscribed tracees 't'.
 *  group-cont	after SIGCONT the real parent sees WIFCONTINUED and every
 *		untraced thread leaves 'T' within the bound.
 *  seize-stop	seizing a thread of a stopped group traps it at once: the
 *		stop is reportable when PTRACE_SEIZE returns.
 *  kill	every thread and process dies within the bound of SIGKILL;
 *		the tracer reaps WIFSIGNALED(SIGKILL) for each traced thread,
 *		the real parent for the process; nothing else dies.
 *  settle	after SIGCONT and resuming every tracee: nothing stopped,
 *		nothing pending, within the bound.
 *  real-parent	the real parent only sees stops by SIGSTOP/SIGTSTP,
 *		continues, and SIGKILL deaths of processes we killed.
 *  watchdog	the run ends before the watchdog fires.
 *
 * Calm.  A thread's trap happens after the tracer last resumed (or
 * seized) it; at that moment the tracer records the process' job control
 * sequence (bumped under a lock by every signal sent) and whether a stop
 * signal may be pending or in delivery (set by SIGSTOP/SIGTSTP, cleared
 * when a SIGCONT has been sent: SIGCONT flushes queued stop signals and
 * clears JOBCTL_STOP_DEQUEUED, so a stop signal in delivery is dropped).
 * A JOBCTL_CONT/LISTEN tracee is calm if nothing was sent since and no
 * stop signal could start a group stop: nothing can legitimately wake it.
 * In the check steps calm also follows from the sequence itself (one stop
 * signal, consumed by the completed group stop).  Whatever is not calm is
 * tolerated, not ignored: a wakeup must still end in a report.
 *
 * Not checked (undecidable here, or changed by the series): whether a
 * SIGCONT that ends no stop notifies a seized tracee (it does without the
 * series, it does not with it); the WSTOPSIG of chaos traps beyond the
 * rules above; which thread dequeues a signal.
 *
 * PTRACE_JOBCTL_CONT is probed first: EIO on a PTRACE_EVENT_STOP means the
 * kernel lacks it, and its requests and checks are skipped.  The test is
 * skipped only if ptrace itself is unusable.
 *
 * Every violation is printed with the thread's last requests and reports
 * (time:what=result@jobctl-sequence); a hang is printed with the state,
 * wchan and kernel stack of every task.  The report ends with the number
 * of operations, of invariants checked and of violations, then the TAP
 * result; the exit code is 0 only without violations.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest.h"
#include "jobctl.h"

#define MAX_PROCS		16
#define MAX_THREADS		16
#define NSEC_PER_USEC		1000LL
#define NSEC_PER_MSEC		1000000LL
#define NSEC_PER_SEC		1000000000LL
#define SETTLE_QUIET_NS		(20 * NSEC_PER_MSEC)
#define MAX_PRINTED		200
#define CMD_QUIT		0x7f
#define KILL_PERMILLE		2	/* of the signaller's signals */
#define CHECK_KILL_PERCENT	8	/* of the check sequences */
#define TRACEE_NICE		10

/* Shared memory: one slot per tracee process */
struct slot {
	/* written by the real parent */
	int pid;
	int gen;
	int rp_seq;		/* odd while the fields below change */
	int rp_stops;
	int rp_conts;
	int rp_last;		/* 1: last report a stop, 2: a continue */
	int rp_stop_sig;
	int rp_stop_stamp;	/* cont_seq read before that waitpid() */
	int rp_exited;
	int rp_exit_status;
	int rp_bad;
	int rp_bad_status;
	/* written by the tracee threads */
	int ntids;
	int tids[MAX_THREADS];
	/* written by the tracer: SIGCONTs sent, bumped after kill() */
	int cont_seq;
};

struct shared {
	struct slot slot[MAX_PROCS];
	int rp_stray;
	int rp_loops;		/* real parent heartbeat */
	long long rp_last_ns;	/* and when it last went round */
};

struct rp_view {
	int stops;
	int conts;
	int last;
	int stop_sig;
	int stop_stamp;
	int exited;
	int exit_status;
	int bad;
	int bad_status;
};

enum tstate {
	T_DETACHED,	/* not traced by us */
	T_RUNNING,	/* traced, resumed or seized, no report read since */
	T_STOPPED,	/* traced, its stop was reported and not resumed */
	T_LISTENING,	/* PTRACE_LISTEN */
	T_JCONT,	/* PTRACE_JOBCTL_CONT */
	T_DEAD,		/* its death was reaped by the tracer */
};

static const char * const tstate_name[] = {
	"detached", "running", "stopped", "listening", "jobctl-cont", "dead",
};

struct proc;

#define HIST	8

/* What happened to a thread lately, printed with its violations */
struct hist {
	long long ns;
	const char *what;
	long val;
	unsigned long jc;
};

struct thr {
	struct proc *p;
	struct hist hist[HIST];
	unsigned int nhist;
	int idx;
	pid_t tid;
	enum tstate st;
	int status;		/* wait status of the current stop, 0: unknown */
	int event;		/* the current stop is a PTRACE_EVENT_STOP */
	int sig;		/* its WSTOPSIG, 0: unknown */
	int report_cont_seq;	/* cont_seq when the stop was reported */
	long long nvcsw0;	/* voluntary switches before JCONT/LISTEN */
	int interrupted;	/* INTERRUPT since JCONT/LISTEN */
	int trap_armed;		/* INTERRUPTed in its stop: traps on resume */
	long long expect_by;	/* a report is due by then, 0: none */
	const char *expect_why;
	long long notify_by;	/* a SIGCONT notification is due by then */
	/* the process' state when the tracer last resumed or seized it */
	unsigned long base_jc;
	unsigned long base_stop_seq;
	int base_cont_seq;
	int base_stop_possible;
	int base_known_stopped;
	/* check steps */
	int ph_expect;
	int ph_stopped;
	int ph_need;
	int ph_allow;
	long long settle_nv;
};

struct proc {
	int slot;
	pid_t pid;
	int nthr;
	struct thr thr[MAX_THREADS];
	int broken;
	int kill_reported;
	int rp_bad_seen;
	pthread_mutex_t lock;
	/* under lock: what was sent to the process */
	int alive;
	int killed;
	long long kill_ns;
	unsigned long jc_seq;	/* every signal sent */
	unsigned long stop_seq;	/* stop signals sent */
	int cont_seq;		/* SIGCONTs sent */
	int stop_possible;	/* a stop signal sent, no SIGCONT since */
};

struct snap {
	unsigned long jc_seq;
	unsigned long stop_seq;
	int cont_seq;
	int stop_possible;
	int killed;
	int known_stopped;
};

enum inv {
	INV_REQ,
	INV_REPORT,
	INV_INTR,
	INV_JCONT_REQ,
	INV_SIGINFO,
	INV_NOSTALE,
	INV_SPURIOUS,
	INV_STOPSIG,
	INV_NOTIFY,
	INV_GSTOP,
	INV_GCONT,
	INV_SEIZE_STOP,
	INV_KILL,
	INV_SETTLE,
	INV_RP,
	INV_WATCHDOG,
	INV_NR,
};

static const char * const inv_name[INV_NR] = {
	"request", "report", "interrupt", "jcont-req", "siginfo", "no-stale",
	"no-spurious", "stop-signal", "notify", "group-stop", "group-cont",
	"seize-stop", "kill", "settle", "real-parent", "watchdog",
};

enum phase {
	PH_CHAOS,
	PH_SETTLE,
	PH_STEP1,	/* INTERRUPT some tracees of a running group */
	PH_STOPPING,	/* stop signal sent, tracees let go */
	PH_STOPPED,	/* group stop complete, nothing pending */
	PH_CONT,	/* SIGCONT sent */
};

static struct {
	/* options */
	unsigned int seed;
	int nprocs;
	int nthreads;
	unsigned long long max_ops;
	int time_limit;
	int bound;
	int verbose;

	int ncpus;
	int jcont;		/* PTRACE_JOBCTL_CONT supported */
	int wchan_ok;		/* /proc/PID/wchan tells a sleeping task */
	int probe_err;
	long long bound_ns;
	long long t0;
	long long t_end;
	pid_t mpid;
	pid_t rpid;
	pid_t tracer_tid;
	int cmd_rd;
	int cmd_wr;
	struct shared *sh;
	struct proc procs[MAX_PROCS];
	unsigned long long rng;
	int abort_run;
	int rp_quitting;
	int final;		/* 1: reporting, 2: the watchdog fired */

	/* check steps */
	enum phase ph;
	struct proc *ph_proc;
	struct proc *calm_proc;
	int ph_sig;
	int ph_stops0;
	int ph_conts0;
	long long ph_t0;

	/* signaller */
	pthread_t sig_thread;
	pthread_mutex_t ctl;
	pthread_cond_t cv;
	int sig_pause;
	int sig_paused;
	int sig_exit;
	struct proc *req_proc;
	int req_sig;
	long req_delay_us;

	/* counters (atomic) */
	unsigned long long ops;
	unsigned long long checked[INV_NR];
	unsigned long long violated[INV_NR];
	unsigned long long nviolations;
	unsigned long long rounds;
	unsigned long long checks_done;
	unsigned long long kills;
	unsigned long long respawns;
	unsigned long long races;
	unsigned long long race_esrch;
	unsigned long long stray;
	unsigned long long nreq[8];

	/* tracee side */
	int tr_slot;
} g;

/* Request counters: for the statistics line only */
enum { R_SEIZE, R_INTR, R_LISTEN, R_JCONT, R_CONT, R_DETACH, R_REGS, R_SI };

static const char * const req_name[] = {
	"seize", "interrupt", "listen", "jobctl_cont", "cont", "detach",
	"getregset", "getsiginfo",
};

/* ------------------------------------------------------------------ */
/* Small helpers */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static double elapsed(void)
{
	return (double)(now_ns() - g.t0) / NSEC_PER_SEC;
}

static void sleep_us(long us)
{
	struct timespec ts = {
		.tv_sec = us / 1000000,
		.tv_nsec = (us % 1000000) * NSEC_PER_USEC,
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static unsigned long long rng_next(unsigned long long *s)
{
	unsigned long long x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static unsigned long long rng_seed(unsigned long long v)
{
	v += 0x9E3779B97F4A7C15ULL;
	v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9ULL;
	v = (v ^ (v >> 27)) * 0x94D049BB133111EBULL;
	v ^= v >> 31;
	return v ? v : 1;
}

static unsigned int rnd(unsigned long long *s, unsigned int n)
{
	return n ? (unsigned int)((rng_next(s) >> 33) % n) : 0;
}

static int chance(unsigned long long *s, unsigned int percent)
{
	return rnd(s, 100) < percent;
}

static int r_(unsigned int n)
{
	return rnd(&g.rng, n);
}

static int ch_(unsigned int percent)
{
	return chance(&g.rng, percent);
}

static void inc(unsigned long long *c)
{
	__atomic_add_fetch(c, 1, __ATOMIC_RELAXED);
}

static int ld(int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void st(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

static int is_stop_sig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP;
}

static const char *sig_name(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{ SIGTRAP, "SIGTRAP" }, { SIGSTOP, "SIGSTOP" },
		{ SIGTSTP, "SIGTSTP" }, { SIGCONT, "SIGCONT" },
		{ SIGKILL, "SIGKILL" }, { 0, "none" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "other";
}

static const char *errstr(long r)
{
	return r ? strerror((int)-r) : "success";
}

/* ------------------------------------------------------------------ */
/* /proc */

static int read_task_file(pid_t pid, pid_t tid, const char *name,
			  char *buf, size_t len)
{
	char path[96];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", pid, tid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

static char thread_state(struct thr *x)
{
	char buf[512], *p;

	if (read_task_file(x->p->pid, x->tid, "stat", buf, sizeof(buf)) < 0)
		return '?';
	p = strrchr(buf, ')');
	if (!p || !p[1] || !p[2])
		return '?';
	return p[2];
}

static int status_field(const char *buf, const char *name, int base,
			unsigned long long *val)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\n%s:", name);
	p = strstr(buf, key);
	if (!p)
		return -1;
	*val = strtoull(p + strlen(key), NULL, base);
	return 0;
}

static long long thread_nvcsw(struct thr *x)
{
	unsigned long long v;
	char buf[4096];

	if (read_task_file(x->p->pid, x->tid, "status", buf, sizeof(buf)) < 0)
		return -1;
	if (status_field(buf, "voluntary_ctxt_switches", 10, &v))
		return -1;
	return (long long)v;
}

/* Is @x off the runqueue (asleep)?  Needs wchan, see g.wchan_ok */
static int thread_asleep(struct thr *x)
{
	char buf[128];

	if (read_task_file(x->p->pid, x->tid, "wchan", buf, sizeof(buf)) <= 0)
		return 0;
	return strcmp(buf, "0") != 0;
}

/*
 * Voluntary context switches of a tracee in a reported stop, read once it
 * sleeps in it: a stop is reportable before its tracee calls schedule().
 */
static long long stopped_nvcsw(struct thr *x)
{
	long long end = now_ns() + 50 * NSEC_PER_MSEC;

	while (g.wchan_ok && !thread_asleep(x) && now_ns() < end)
		sleep_us(20);
	return thread_nvcsw(x);
}

/*
 * Has @x, subscribed with its switch count at x->nvcsw0, trapped again
 * (slept again) since?  1: yes, 0: no, -1: unknown.  A new trap can be
 * reported before the tracee sleeps in it, and a tracee woken before it
 * slept in its previous trap did not count that sleep: wait until it
 * sleeps before saying no.
 */
static int moved_since(struct thr *x)
{
	long long end = now_ns() + g.bound_ns, nv;
	int asleep = 0;

	if (x->nvcsw0 < 0)
		return -1;
	for (;;) {
		nv = thread_nvcsw(x);
		if (nv < 0)
			return -1;
		if (nv > x->nvcsw0)
			return 1;
		if (g.wchan_ok && thread_asleep(x) && ++asleep >= 3)
			return 0;
		if (now_ns() > end)
			return 0;
		sleep_us(asleep ? 5000 : 100);
	}
}

static int thread_pending(struct thr *x, unsigned long long *thread,
			  unsigned long long *shared)
{
	char buf[4096];

	if (read_task_file(x->p->pid, x->tid, "status", buf, sizeof(buf)) < 0)
		return -1;
	if (status_field(buf, "SigPnd", 16, thread) ||
	    status_field(buf, "ShdPnd", 16, shared))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Invariants */

static void note(struct thr *x, const char *what, long val)
{
	struct hist *h = &x->hist[x->nhist++ % HIST];

	h->ns = now_ns();
	h->what = what;
	h->val = val;
	h->jc = x->p->jc_seq;
}

static void print_hist(struct thr *x)
{
	unsigned int i = x->nhist > HIST ? x->nhist - HIST : 0;
	char buf[512];
	int n = 0;

	for (; i < x->nhist && n < (int)sizeof(buf) - 64; i++) {
		struct hist *h = &x->hist[i % HIST];

		n += snprintf(buf + n, sizeof(buf) - n, " %.3f:%s=%ld@%lu",
			      (double)(h->ns - g.t0) / NSEC_PER_SEC, h->what,
			      h->val, h->jc);
	}
	printf("#   history of tid %d:%s\n", x->tid, n ? buf : " none");
}

static const char * const phase_name[] = {
	"chaos", "settle", "step 1", "stopping", "stopped", "continuing",
};

static void describe(struct thr *x, char *buf, size_t len)
{
	char s[48];

	snprintf(buf, len, "P%d pid %d T%d tid %d [%s, last %s, %s%s, base %lu/%lu%s]: ",
		 x->p->slot, x->p->pid, x->idx, x->tid, tstate_name[x->st],
		 status_str(x->status ? x->tid : 0, x->status, s, sizeof(s)), phase_name[g.ph],
		 g.ph_proc == x->p ? " here" : "", x->base_jc, x->p->jc_seq,
		 x->base_stop_possible ? " stop-possible" : "");
}

static void vviolation(enum inv i, struct thr *x, const char *fmt,
		       va_list ap)
{
	char msg[400], who[200] = "";
	unsigned long long n;

	/* after the watchdog killed everything, nothing is judged */
	if (__atomic_load_n(&g.final, __ATOMIC_SEQ_CST) == 2)
		return;
	inc(&g.violated[i]);
	n = __atomic_add_fetch(&g.nviolations, 1, __ATOMIC_SEQ_CST);
	if (n > MAX_PRINTED)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (x)
		describe(x, who, sizeof(who));
	printf("# VIOLATION %s: %s%s (at %.3fs)\n", inv_name[i], who, msg,
	       elapsed());
	if (x)
		print_hist(x);
	if (n == MAX_PRINTED)
		printf("# (further violations are counted, not printed)\n");
}

static __printf(3, 4) void violation(enum inv i, struct thr *x,
				     const char *fmt, ...)
{
	va_list ap;

	inc(&g.checked[i]);
	va_start(ap, fmt);
	vviolation(i, x, fmt, ap);
	va_end(ap);
}

static __printf(4, 5) int check(enum inv i, int ok, struct thr *x,
				const char *fmt, ...)
{
	va_list ap;

	inc(&g.checked[i]);
	if (ok)
		return 1;
	va_start(ap, fmt);
	vviolation(i, x, fmt, ap);
	va_end(ap);
	return 0;
}

static __printf(1, 2) void info(const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (!g.verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("# [%.3fs] %s\n", elapsed(), msg);
}

/* ------------------------------------------------------------------ */
/* Process state as sent by the signaller and the tracer */

static void rp_read(struct proc *p, struct rp_view *v)
{
	struct slot *s = &g.sh->slot[p->slot];
	int seq;

	do {
		seq = ld(&s->rp_seq);
		if (seq & 1)
			continue;
		v->stops = ld(&s->rp_stops);
		v->conts = ld(&s->rp_conts);
		v->last = ld(&s->rp_last);
		v->stop_sig = ld(&s->rp_stop_sig);
		v->stop_stamp = ld(&s->rp_stop_stamp);
		v->exited = ld(&s->rp_exited);
		v->exit_status = ld(&s->rp_exit_status);
		v->bad = ld(&s->rp_bad);
		v->bad_status = ld(&s->rp_bad_status);
	} while ((seq & 1) || seq != ld(&s->rp_seq));
}

static void snap_locked(struct proc *p, struct snap *s)
{
	struct rp_view v;

	rp_read(p, &v);
	s->jc_seq = p->jc_seq;
	s->stop_seq = p->stop_seq;
	s->cont_seq = p->cont_seq;
	s->stop_possible = p->stop_possible;
	s->killed = p->killed;
	s->known_stopped = !p->killed && v.last == 1 &&
			   v.stop_stamp == p->cont_seq;
}

static void snap(struct proc *p, struct snap *s)
{
	pthread_mutex_lock(&p->lock);
	snap_locked(p, s);
	pthread_mutex_unlock(&p->lock);
}

static int killed(struct proc *p)
{
	struct snap s;

	snap(p, &s);
	return s.killed;
}

/*
 * Record the process state @s, taken before the request that resumed or
 * seized @x: a lower bound of the time of its next trap.
 */
static void set_base(struct thr *x, const struct snap *s)
{
	x->base_jc = s->jc_seq;
	x->base_stop_seq = s->stop_seq;
	x->base_cont_seq = s->cont_seq;
	x->base_stop_possible = s->stop_possible;
	x->base_known_stopped = s->known_stopped;
}

static int calm_snap(struct thr *x, struct snap *s)
{
	if (s->killed)
		return 0;
	if (g.calm_proc == x->p)
		return 1;
	return s->jc_seq == x->base_jc && !x->base_stop_possible;
}

/*
 * Can nothing have woken @x out of a JOBCTL_CONT/LISTEN wait since its
 * last trap?  Evaluated after the request it judges.
 */
static int calm(struct thr *x)
{
	struct snap s;

	snap(x->p, &s);
	return calm_snap(x, &s);
}

/*
 * Send @sig to @p and record it, atomically with respect to every reader
 * of the process state.  Returns 0 if sent.
 */
static int send_sig(struct proc *p, int sig)
{
	int r = 0, err = 0;

	pthread_mutex_lock(&p->lock);
	if (!p->alive || p->killed) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	inc(&g.ops);
	switch (sig) {
	case SIGKILL:
		p->killed = 1;
		p->kill_ns = now_ns();
		p->jc_seq++;
		r = kill(p->pid, SIGKILL);
		inc(&g.kills);
		break;
	case SIGCONT:
		r = kill(p->pid, SIGCONT);
		p->jc_seq++;
		p->cont_seq++;
		st(&g.sh->slot[p->slot].cont_seq, p->cont_seq);
		p->stop_possible = 0;
		break;
	default:
		p->jc_seq++;
		p->stop_seq++;
		p->stop_possible = 1;
		r = kill(p->pid, sig);
		break;
	}
	if (r)
		err = errno;
	pthread_mutex_unlock(&p->lock);
	check(INV_REQ, !r, NULL, "kill(%d, %s) of a live process: %s", p->pid,
	      sig_name(sig), strerror(err));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tracer: requests and reports */

static long preq(int kind, long req, struct thr *x, unsigned long addr,
		 unsigned long data)
{
	long r;

	inc(&g.ops);
	inc(&g.nreq[kind]);
	r = sys_ptrace(req, x->tid, addr, data);
	if (r < 0)
		r = -errno;
	note(x, req_name[kind], r);
	return r;
}

static pid_t wait_tid(struct thr *x, int *status)
{
	pid_t w;

	*status = 0;
	w = waitpid(x->tid, status, __WALL | WNOHANG);
	return w < 0 ? 0 : w;
}

static void expect(struct thr *x, const char *why)
{
	x->expect_by = now_ns() + g.bound_ns;
	x->expect_why = why;
}

static struct thr *find_thr(pid_t tid)
{
	int i, j;

	for (i = 0; i < g.nprocs; i++) {
		struct proc *p = &g.procs[i];

		for (j = 0; j < p->nthr; j++)
			if (p->thr[j].tid == tid && p->thr[j].st != T_DETACHED &&
			    p->thr[j].st != T_DEAD)
				return &p->thr[j];
	}
	return NULL;
}

/* Stricter expectations of the check steps */
static void phase_report(struct thr *x, int status, int fresh)
{
	int ev = status >> 16, sig = WSTOPSIG(status);
	enum tstate prev = x->st;
	char d[48];

	/*
	 * A re-report (INTERRUPT of a JOBCTL_CONT tracee) is no new trap:
	 * judge_subscribed() compared it with the report it repeats, which
	 * met the expectations of its own step.
	 */
	if (g.ph == PH_CHAOS || g.ph == PH_SETTLE || !fresh)
		return;
	status_str(x->tid, status, d, sizeof(d));
	if (x->p != g.ph_proc) {
		violation(INV_SPURIOUS, x, "%s in a settled process", d);
		return;
	}
	switch (g.ph) {
	case PH_STEP1:
		check(INV_SPURIOUS, x->ph_expect, x,
		      "%s, but nothing was asked of this thread", d);
		check(INV_STOPSIG, ev == PTRACE_EVENT_STOP && sig == SIGTRAP, x,
		      "INTERRUPT in a running group reported %s", d);
		x->ph_expect = 0;
		break;
	case PH_STOPPING:
		if (!ev) {
			check(INV_REPORT, sig == g.ph_sig, x,
			      "%s while only %s was sent", d,
			      sig_name(g.ph_sig));
			break;
		}
		check(INV_STOPSIG, sig == g.ph_sig, x,
		      "%s while the group stops for %s", d,
		      sig_name(g.ph_sig));
		if ((prev == T_JCONT || prev == T_LISTENING) &&
		    x->sig == SIGTRAP)
			check(INV_NOTIFY, 1, x, "group stop notified");
		x->ph_stopped = 1;
		break;
	case PH_STOPPED:
		if (prev == T_RUNNING)
			check(INV_SPURIOUS, x->ph_allow, x,
			      "%s of a running tracee in a stopped group", d);
		if (ev)
			check(INV_STOPSIG, sig == g.ph_sig, x,
			      "%s in a group stopped by %s", d,
			      sig_name(g.ph_sig));
		break;
	case PH_CONT:
		if (x->ph_need) {
			check(INV_STOPSIG, ev == PTRACE_EVENT_STOP &&
			      sig == SIGTRAP, x,
			      "first report after SIGCONT is %s", d);
			if (prev == T_JCONT || prev == T_LISTENING)
				check(INV_NOTIFY, 1, x, "SIGCONT notified");
			x->ph_need = 0;
		} else {
			check(INV_REPORT, !ev && sig == SIGCONT, x,
			      "%s after the SIGCONT trap", d);
		}
		break;
	default:
		break;
	}
}

/*
 * A report of a JOBCTL_CONT or LISTEN tracee: a fresh trap for a cause, or
 * (INTERRUPT of a JOBCTL_CONT tracee) the same stop made reportable again.
 * Returns 1 for the latter.
 */
static int judge_subscribed(struct thr *x, int status, struct snap *s,
			    const char *d)
{
	int c = calm_snap(x, s), rereport = 0;
	long long nv;

	if (x->st == T_JCONT && x->interrupted && c) {
		/* calm: the same stop again, the tracee did not move */
		rereport = 1;
		nv = thread_nvcsw(x);
		check(INV_NOSTALE, !x->status || status == x->status, x,
		      "INTERRUPT re-reported %s", d);
		check(INV_SPURIOUS, x->nvcsw0 < 0 || nv < 0 || nv == x->nvcsw0,
		      x, "INTERRUPT woke a waiting JOBCTL_CONT tracee (switches %lld -> %lld)",
		      x->nvcsw0, nv);
	} else if (x->st == T_JCONT && x->interrupted) {
		/* the same stop again, or a fresh trap */
		rereport = !moved_since(x);
		if (rereport)
			check(INV_NOSTALE, !x->status || status == x->status, x,
			      "INTERRUPT re-reported %s", d);
	} else if (!moved_since(x)) {
		violation(INV_NOSTALE, x,
			  "%s reported though the tracee did not run since %s (stale stop)",
			  d, tstate_name[x->st]);
	} else {
		check(INV_SPURIOUS, x->interrupted || !c, x,
		      "re-trapped with nothing to report: %s", d);
	}
	if (x->notify_by && !rereport) {
		check(INV_NOTIFY, 1, x, "SIGCONT notified");
		x->notify_by = 0;
	}
	return rereport;
}

static void on_report(struct thr *x, int status)
{
	int ev = status >> 16, sig = WSTOPSIG(status), rereport = 0, first;
	struct snap s;
	char d[48];

	snap(x->p, &s);
	status_str(x->tid, status, d, sizeof(d));
	note(x, "report", status);
	if (x->expect_by && WIFSTOPPED(status))
		check(INV_INTR, 1, x, "reported in time");
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		check(INV_KILL, s.killed && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGKILL, x,
		      "tracer reaped %s", d);
		x->st = T_DEAD;
		x->expect_by = 0;
		x->notify_by = 0;
		return;
	}
	if (!check(INV_REPORT, WIFSTOPPED(status), x, "wait gave %s", d))
		return;
	check(INV_REPORT, (!ev && (is_stop_sig(sig) || sig == SIGCONT)) ||
	      (ev == PTRACE_EVENT_STOP && (sig == SIGTRAP || is_stop_sig(sig))),
	      x, "unexpected stop %s", d);
	if (x->st == T_STOPPED)
		violation(INV_NOSTALE, x,
			  "%s reported while a reported stop was not resumed",
			  d);
	else if (x->st == T_LISTENING || x->st == T_JCONT)
		rereport = judge_subscribed(x, status, &s, d);
	/*
	 * The first report of this stop: a fresh trap, or the re-report of
	 * a stop whose report a blind JOBCTL_CONT swallowed (status unknown).
	 */
	first = !rereport || !x->status;
	if (first && ev == PTRACE_EVENT_STOP) {
		if (is_stop_sig(sig))
			check(INV_STOPSIG, x->base_stop_possible ||
			      s.stop_seq != x->base_stop_seq, x,
			      "%s, but no stop signal may be in effect", d);
		else if (x->base_known_stopped && !s.killed)
			check(INV_STOPSIG, s.cont_seq != x->base_cont_seq, x,
			      "%s while the group is known to be stopped", d);
	}
	phase_report(x, status, !rereport);
	if (!rereport)
		x->trap_armed = 0;
	if (first)
		x->report_cont_seq = s.cont_seq;
	x->st = T_STOPPED;
	x->status = status;
	x->event = ev == PTRACE_EVENT_STOP;
	x->sig = sig;
	x->interrupted = 0;
	x->expect_by = 0;
	x->notify_by = 0;
	x->nvcsw0 = -1;
}

static int proc_dead(struct proc *p)
{
	struct rp_view v;
	int i;

	for (i = 0; i < p->nthr; i++)
		if (p->thr[i].st != T_DETACHED && p->thr[i].st != T_DEAD)
			return 0;
	rp_read(p, &v);
	return v.exited;
}

/* Why is a killed process not reaped yet?  One violation per thread. */
static void report_undead(struct proc *p, const char *when)
{
	char c, w[64], sc[128] = "-";
	struct rp_view v;
	int i;

	rp_read(p, &v);
	violation(INV_KILL, NULL,
		  "P%d pid %d not dead and reaped %d s after %s (real parent saw the exit: %d)",
		  p->slot, p->pid, g.bound, when, v.exited);
	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		c = thread_state(x);
		if (read_task_file(p->pid, x->tid, "wchan", w, sizeof(w)) < 0)
			snprintf(w, sizeof(w), "-");
		if (x->st != T_DEAD && c != '?')
			printf("#   T%d tid %d: tracer state %s, task state '%c', wchan %s\n",
			       i, x->tid, tstate_name[x->st], c, w);
	}
	if (g.rpid > 0 &&
	    read_task_file(g.rpid, g.rpid, "wchan", w, sizeof(w)) < 0)
		snprintf(w, sizeof(w), "-");
	if (g.rpid > 0 &&
	    read_task_file(g.rpid, g.rpid, "syscall", sc, sizeof(sc)) < 0)
		snprintf(sc, sizeof(sc), "-");
	printf("#   real parent pid %d: %d loops, the last %.3f s ago, wchan %s, syscall %.40s\n",
	       g.rpid, ld(&g.sh->rp_loops),
	       (double)(now_ns() - __atomic_load_n(&g.sh->rp_last_ns,
						   __ATOMIC_SEQ_CST)) / NSEC_PER_SEC,
	       g.rpid > 0 ? w : "-", sc);
	if (g.nprocs * g.nthreads > 16 * g.ncpus)
		printf("#   (%d tracee threads on %d CPUs: overloaded? see -b)\n",
		       g.nprocs * g.nthreads, g.ncpus);
}

static void check_deadlines(void)
{
	long long now = now_ns();
	struct rp_view v;
	struct snap s;
	int i, j;

	for (i = 0; i < g.nprocs; i++) {
		struct proc *p = &g.procs[i];

		if (!p->alive)
			continue;
		snap(p, &s);
		rp_read(p, &v);
		if (v.bad != p->rp_bad_seen) {
			p->rp_bad_seen = v.bad;
			violation(INV_RP, NULL,
				  "real parent of P%d pid %d saw status %#x",
				  p->slot, p->pid, v.bad_status);
		}
		if (v.exited && !s.killed) {
			violation(INV_KILL, NULL,
				  "P%d pid %d died (status %#x) without SIGKILL",
				  p->slot, p->pid, v.exit_status);
			pthread_mutex_lock(&p->lock);
			p->killed = 1;
			p->kill_ns = now;
			pthread_mutex_unlock(&p->lock);
			continue;
		}
		if (s.killed) {
			if (!p->kill_reported && !proc_dead(p) &&
			    now > p->kill_ns + g.bound_ns) {
				p->kill_reported = 1;
				report_undead(p, "SIGKILL");
				g.abort_run = 1;
			}
			continue;
		}
		for (j = 0; j < p->nthr; j++) {
			struct thr *x = &p->thr[j];

			if (x->expect_by && now > x->expect_by) {
				violation(INV_INTR, x,
					  "no report %d s after %s", g.bound,
					  x->expect_why);
				x->expect_by = 0;
				p->broken = 1;
			}
			if ((x->st != T_JCONT && x->st != T_LISTENING) ||
			    !x->event || !is_stop_sig(x->sig))
				continue;
			if (!x->notify_by && s.cont_seq != x->report_cont_seq) {
				x->notify_by = now + g.bound_ns;
			} else if (x->notify_by && now > x->notify_by) {
				violation(INV_NOTIFY, x,
					  "no report %d s after a SIGCONT ended the stop it waits in",
					  g.bound);
				x->notify_by = 0;
				x->event = 0;
				p->broken = 1;
			}
		}
	}
}

/* Reap every pending report; returns how many */
static int pump(void)
{
	int n = 0, status;
	struct thr *x;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, __WALL | WNOHANG);
		if (pid <= 0)
			break;
		n++;
		if (pid == g.rpid) {
			g.rpid = 0;
			if (!g.rp_quitting) {
				violation(INV_RP, NULL,
					  "the real parent died (status %#x)",
					  status);
				g.abort_run = 1;
			}
			continue;
		}
		x = find_thr(pid);
		if (!x) {
			inc(&g.stray);
			continue;
		}
		on_report(x, status);
	}
	check_deadlines();
	return n;
}

/* Sleep until a child changes state, for at most @ms milliseconds */
static void idle_ms(long ms)
{
	struct timespec ts = { .tv_nsec = ms * NSEC_PER_MSEC };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigtimedwait(&set, NULL, &ts);
}

static void idle(void)
{
	idle_ms(1);
}

/*
 * Pump reports until @cond holds, for at most the bound.  The conditions
 * read /proc: poll them more slowly after a while, since every /proc
 * dentry we keep busy makes reaping a process more expensive.
 */
static int wait_until(int (*cond)(struct proc *p),
		      void (*act)(struct proc *p), struct proc *p)
{
	long long end = now_ns() + g.bound_ns;
	int n = 0;

	for (;;) {
		pump();
		if (act)
			act(p);
		if (cond(p))
			return 1;
		if (g.abort_run || now_ns() > end)
			return 0;
		idle_ms(++n < 20 ? 1 : 5);
	}
}

/* ------------------------------------------------------------------ */
/* Tracer requests, each judged against what the tracer knows */

static void reset_thr(struct thr *x)
{
	x->status = 0;
	x->event = 0;
	x->sig = 0;
	x->nvcsw0 = -1;
	x->interrupted = 0;
	x->trap_armed = 0;
	x->expect_by = 0;
	x->notify_by = 0;
}

static int op_seize(struct thr *x)
{
	struct snap pre;
	long r;

	snap(x->p, &pre);
	r = preq(R_SEIZE, PTRACE_SEIZE, x, 0, 0);
	if (!r) {
		check(INV_REQ, 1, x, "seize");
		x->st = T_RUNNING;
		reset_thr(x);
		set_base(x, &pre);
		return 0;
	}
	check(INV_REQ, killed(x->p) && (r == -ESRCH || r == -EPERM), x,
	      "PTRACE_SEIZE: %s", errstr(r));
	return -1;
}

static void op_interrupt(struct thr *x)
{
	enum tstate prev = x->st;
	int status, c;
	char d[48];
	long r;
	pid_t w;

	r = preq(R_INTR, PTRACE_INTERRUPT, x, 0, 0);
	if (!check(INV_REQ, !r, x, "PTRACE_INTERRUPT: %s", errstr(r)))
		return;
	switch (prev) {
	case T_STOPPED:
		x->trap_armed = 1;
		break;
	case T_JCONT:
		x->interrupted = 1;
		w = wait_tid(x, &status);
		c = calm(x);
		if (c)
			check(INV_NOSTALE, w == x->tid && WIFSTOPPED(status) &&
			      (!x->status || status == x->status), x,
			      "INTERRUPT did not make the waiting stop reportable at once (wait: %s)",
			      status_str(w, status, d, sizeof(d)));
		if (w == x->tid)
			on_report(x, status);
		else
			expect(x, "PTRACE_INTERRUPT of a JOBCTL_CONT tracee");
		break;
	case T_LISTENING:
		x->interrupted = 1;
		expect(x, "PTRACE_INTERRUPT of a listening tracee");
		break;
	default:
		expect(x, "PTRACE_INTERRUPT of a running tracee");
		break;
	}
}

static void op_waitprobe(struct thr *x)
{
	int status;
	pid_t w;

	w = wait_tid(x, &status);
	if (w != x->tid)
		note(x, "wait", w);
	if (w == x->tid) {
		on_report(x, status);
		return;
	}
	if (x->st == T_STOPPED || calm(x))
		check(INV_NOSTALE, 1, x, "nothing reported");
}

static void op_listen(struct thr *x)
{
	long long nv = stopped_nvcsw(x);
	int ok, k = killed(x->p);
	long r;

	r = preq(R_LISTEN, PTRACE_LISTEN, x, 0, 0);
	k = k || killed(x->p);
	if (x->event)
		ok = !r || (k && r == -ESRCH);
	else
		ok = r == -EIO || (k && r == -ESRCH);
	check(INV_REQ, ok, x, "PTRACE_LISTEN: %s", errstr(r));
	if (r || !x->event)
		return;
	x->st = T_LISTENING;
	x->nvcsw0 = nv;
	x->interrupted = 0;
	if (ch_(40))
		op_waitprobe(x);
}

static void op_jcont(struct thr *x)
{
	long long nv;
	int ok, k;
	long r;

	if (!g.jcont)
		return;
	if (ch_(5)) {
		r = preq(R_JCONT, PTRACE_JOBCTL_CONT, x, 0, 1);
		check(INV_REQ, r == -EINVAL || (killed(x->p) && r == -ESRCH), x,
		      "PTRACE_JOBCTL_CONT with data 1: %s", errstr(r));
	}
	nv = stopped_nvcsw(x);
	r = preq(R_JCONT, PTRACE_JOBCTL_CONT, x, 0, 0);
	k = killed(x->p);
	if (x->event)
		ok = !r || (k && r == -ESRCH);
	else
		ok = r == -EIO || (k && r == -ESRCH);
	check(INV_REQ, ok, x, "PTRACE_JOBCTL_CONT: %s", errstr(r));
	if (r || !x->event)
		return;
	x->st = T_JCONT;
	x->nvcsw0 = nv;
	x->interrupted = 0;
	if (g.calm_proc == x->p || ch_(50))
		op_waitprobe(x);
}

/*
 * JOBCTL_CONT again, or LISTEN, on a JOBCTL_CONT tracee: only while calm,
 * under the process lock so that no signal can make it re-trap unseen
 * (the request would swallow the new stop).
 */
static void op_resubscribe(struct thr *x, int listen)
{
	struct snap s;
	long r;

	pthread_mutex_lock(&x->p->lock);
	snap_locked(x->p, &s);
	if (!calm_snap(x, &s)) {
		pthread_mutex_unlock(&x->p->lock);
		return;
	}
	if (listen)
		r = preq(R_LISTEN, PTRACE_LISTEN, x, 0, 0);
	else
		r = preq(R_JCONT, PTRACE_JOBCTL_CONT, x, 0, 0);
	pthread_mutex_unlock(&x->p->lock);
	check(INV_JCONT_REQ, !r, x, "%s on a calm JOBCTL_CONT tracee: %s",
	      listen ? "PTRACE_LISTEN" : "PTRACE_JOBCTL_CONT", errstr(r));
	if (!r && listen)
		x->st = T_LISTENING;
}

static int op_cont(struct thr *x, int data, int detach)
{
	enum tstate prev = x->st;
	enum inv i = prev == T_JCONT ? INV_JCONT_REQ : INV_REQ;
	struct snap s, pre;
	int armed;
	long r;

	snap(x->p, &pre);
	if (detach)
		r = preq(R_DETACH, DETACH_REQUEST, x, 0, data);
	else
		r = preq(R_CONT, PTRACE_CONT, x, 0, data);
	if (!r) {
		check(i, 1, x, "resume");
		x->notify_by = 0;
		x->interrupted = 0;
		x->nvcsw0 = -1;
		x->expect_by = 0;
		if (detach) {
			x->st = T_DETACHED;
			x->trap_armed = 0;
			return 0;
		}
		/*
		 * A JOBCTL_CONT tracee which may have been woken (not calm)
		 * may have re-trapped unseen: then this request resumed the
		 * new trap and overwrote its report, and that trap consumed
		 * the one INTERRUPT armed.  No report is owed then.  Judged
		 * after the request, against the base of the stop it left.
		 */
		armed = x->trap_armed && (prev != T_JCONT || calm(x));
		x->trap_armed = 0;
		x->st = T_RUNNING;
		set_base(x, &pre);
		if (armed)
			expect(x, "resuming a tracee INTERRUPTed in its stop");
		return 0;
	}
	snap(x->p, &s);
	if (prev == T_JCONT && r == -ESRCH && !s.killed && !calm_snap(x, &s)) {
		check(i, 1, x, "woken");
		expect(x, "ESRCH from a JOBCTL_CONT tracee");
		return (int)r;
	}
	check(i, s.killed && r == -ESRCH, x, "%s(%s): %s",
	      detach ? "PTRACE_DETACH" : "PTRACE_CONT", sig_name(data),
	      errstr(r));
	return (int)r;
}

/* Judge a GETREGSET/GETSIGINFO result; returns 1 if the stop is known */
static int judge_peek(struct thr *x, long r, const char *what)
{
	struct snap s;
	int status, c;
	pid_t w;

	snap(x->p, &s);
	c = calm_snap(x, &s);
	switch (x->st) {
	case T_STOPPED:
		check(INV_REQ, !r || (s.killed && r == -ESRCH), x,
		      "%s on a reported stop: %s", what, errstr(r));
		return !r;
	case T_JCONT:
		if (!r) {
			check(INV_JCONT_REQ, 1, x, "%s", what);
			return c ? 1 : 2;
		}
		check(INV_JCONT_REQ, r == -ESRCH && !c, x,
		      "%s on a JOBCTL_CONT tracee: %s (calm: %d)", what,
		      errstr(r), c);
		if (r == -ESRCH && !s.killed)
			expect(x, "ESRCH from a JOBCTL_CONT tracee");
		return 0;
	case T_LISTENING:
		if (r) {
			check(INV_REQ, r == -ESRCH, x, "%s on a listening tracee: %s",
			      what, errstr(r));
			return 0;
		}
		/* it re-trapped (INTERRUPT, or a cause): the report is there */
		check(INV_SPURIOUS, !c || x->interrupted, x,
		      "%s succeeded on a calm listening tracee", what);
		w = wait_tid(x, &status);
		check(INV_NOSTALE, w == x->tid, x,
		      "%s succeeded on a listening tracee with no report",
		      what);
		if (w == x->tid)
			on_report(x, status);
		return 0;
	default:
		check(INV_REQ, !r || r == -ESRCH || (s.killed && r == -EIO), x,
		      "%s on a running tracee: %s", what, errstr(r));
		return 0;
	}
}

static long op_getregs(struct thr *x)
{
	unsigned long long regs[160];
	struct iovec iov = { .iov_base = regs, .iov_len = sizeof(regs) };
	long r;

	r = preq(R_REGS, PTRACE_GETREGSET, x, NT_PRSTATUS,
		 (unsigned long)&iov);
	judge_peek(x, r, "PTRACE_GETREGSET");
	return r;
}

static void op_getsiginfo(struct thr *x)
{
	siginfo_t si;
	int known;
	long r;

	memset(&si, 0, sizeof(si));
	r = preq(R_SI, PTRACE_GETSIGINFO, x, 0, (unsigned long)&si);
	known = judge_peek(x, r, "PTRACE_GETSIGINFO");
	if (known == 1 && x->status) {
		check(INV_SIGINFO, si.si_signo == x->sig &&
		      (!x->event || si.si_code == (x->status >> 8)), x,
		      "siginfo signo %d code %#x for the reported stop",
		      si.si_signo, si.si_code);
	} else if (known == 2) {
		check(INV_SIGINFO, (si.si_code >> 8) == PTRACE_EVENT_STOP, x,
		      "siginfo code %#x of a JOBCTL_CONT tracee", si.si_code);
	}
}

static void op_burst(struct thr *x)
{
	int i;

	for (i = 0; i < 20 && x->st == T_JCONT; i++)
		if (op_getregs(x))
			break;
}

/* A request on a thread believed to be running: 0, ESRCH or EIO */
static void op_blind(struct thr *x)
{
	unsigned long long regs[160];
	struct iovec iov = { .iov_base = regs, .iov_len = sizeof(regs) };
	int k = r_(g.jcont ? 5 : 4);
	struct snap pre;
	long r;

	snap(x->p, &pre);
	switch (k) {
	case 0:
		r = preq(R_LISTEN, PTRACE_LISTEN, x, 0, 0);
		break;
	case 1:
		r = preq(R_CONT, PTRACE_CONT, x, 0, 0);
		break;
	case 2:
		r = preq(R_DETACH, DETACH_REQUEST, x, 0, 0);
		break;
	case 3:
		r = preq(R_REGS, PTRACE_GETREGSET, x, NT_PRSTATUS,
			 (unsigned long)&iov);
		break;
	default:
		r = preq(R_JCONT, PTRACE_JOBCTL_CONT, x, 0, 0);
		break;
	}
	check(INV_REQ, !r || r == -ESRCH || r == -EIO, x,
	      "request %d on a running tracee: %s", k, errstr(r));
	if (r || k == 3)
		return;
	/* it sat in a stop we had not seen yet */
	x->expect_by = 0;
	switch (k) {
	case 0:
	case 4:
		x->st = k ? T_JCONT : T_LISTENING;
		x->status = 0;
		x->event = 1;
		x->sig = 0;
		x->nvcsw0 = -1;
		x->interrupted = 0;
		break;
	case 1:
		set_base(x, &pre);
		break;
	default:
		x->st = T_DETACHED;
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Process life cycle */

static int spawn(struct proc *p)
{
	struct slot *s = &g.sh->slot[p->slot];
	int gen = ld(&s->gen), i;
	char c = (char)p->slot;
	long long end;

	if (write(g.cmd_wr, &c, 1) != 1) {
		violation(INV_RP, NULL, "cannot ask the real parent: %s",
			  strerror(errno));
		g.abort_run = 1;
		return -1;
	}
	end = now_ns() + g.bound_ns;
	while (ld(&s->gen) == gen ||
	       (ld(&s->pid) > 0 && ld(&s->ntids) < g.nthreads)) {
		if (g.abort_run || now_ns() > end) {
			violation(INV_RP, NULL, "P%d: tracee not ready in %d s",
				  p->slot, g.bound);
			g.abort_run = 1;
			return -1;
		}
		pump();
		idle();
	}
	if (ld(&s->pid) <= 0) {
		violation(INV_RP, NULL, "P%d: fork failed: %s", p->slot,
			  strerror(-ld(&s->pid)));
		g.abort_run = 1;
		return -1;
	}
	p->pid = ld(&s->pid);
	p->nthr = g.nthreads;
	p->broken = 0;
	p->kill_reported = 0;
	p->rp_bad_seen = 0;
	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		memset(x, 0, sizeof(*x));
		x->p = p;
		x->idx = i;
		x->tid = ld(&s->tids[i]);
		x->st = T_DETACHED;
		x->nvcsw0 = -1;
	}
	pthread_mutex_lock(&p->lock);
	p->alive = 1;
	p->killed = 0;
	p->stop_possible = 0;
	pthread_mutex_unlock(&p->lock);
	inc(&g.respawns);
	info("P%d: pid %d", p->slot, p->pid);
	return 0;
}

/* A killed process is fully reaped: judge its death, maybe replace it */
static void service_killed(struct proc *p, int respawn)
{
	struct rp_view v;

	if (!p->alive || !killed(p) || !proc_dead(p))
		return;
	rp_read(p, &v);
	check(INV_KILL, WIFSIGNALED(v.exit_status) &&
	      WTERMSIG(v.exit_status) == SIGKILL, NULL,
	      "real parent saw P%d pid %d end with status %#x", p->slot,
	      p->pid, v.exit_status);
	check(INV_KILL, 1, NULL, "death in time");
	pthread_mutex_lock(&p->lock);
	p->alive = 0;
	pthread_mutex_unlock(&p->lock);
	if (respawn && !g.abort_run)
		spawn(p);
}

static void service_all(int respawn)
{
	int i;

	for (i = 0; i < g.nprocs; i++)
		service_killed(&g.procs[i], respawn);
}

static int cond_dead(struct proc *p)
{
	return !p->alive || proc_dead(p);
}

/* Kill a process that went wrong and replace it */
static void recover(struct proc *p)
{
	enum phase ph = g.ph;

	if (!p->alive)
		return;
	info("P%d: recovering", p->slot);
	g.ph = PH_SETTLE;
	g.calm_proc = NULL;
	send_sig(p, SIGKILL);
	if (!wait_until(cond_dead, NULL, p) && !p->kill_reported) {
		p->kill_reported = 1;
		report_undead(p, "SIGKILL");
		g.abort_run = 1;
	}
	service_killed(p, 1);
	g.ph = ph;
}

static int done(void)
{
	return g.abort_run || __atomic_load_n(&g.ops, __ATOMIC_RELAXED) >=
	       g.max_ops || now_ns() >= g.t_end;
}

/* ------------------------------------------------------------------ */
/* Signaller */

static void *signaller_main(void *arg)
{
	unsigned long long r = rng_seed(g.seed ^ 0x5167A11E5ULL);
	struct proc *p;
	int n, sig;

	pthread_mutex_lock(&g.ctl);
	while (!g.sig_exit) {
		if (g.req_proc) {
			p = g.req_proc;
			sig = g.req_sig;
			n = (int)g.req_delay_us;
			pthread_mutex_unlock(&g.ctl);
			sleep_us(n);
			send_sig(p, sig);
			pthread_mutex_lock(&g.ctl);
			g.req_proc = NULL;
			pthread_cond_broadcast(&g.cv);
			continue;
		}
		if (g.sig_pause) {
			g.sig_paused = 1;
			pthread_cond_broadcast(&g.cv);
			pthread_cond_wait(&g.cv, &g.ctl);
			continue;
		}
		g.sig_paused = 0;
		pthread_mutex_unlock(&g.ctl);
		sleep_us(50 + rnd(&r, 1500));
		p = &g.procs[rnd(&r, g.nprocs)];
		n = rnd(&r, 1000);
		if (n < KILL_PERMILLE)
			sig = SIGKILL;
		else if (n < 300)
			sig = SIGSTOP;
		else if (n < 450)
			sig = SIGTSTP;
		else
			sig = SIGCONT;
		send_sig(p, sig);
		pthread_mutex_lock(&g.ctl);
	}
	g.sig_paused = 1;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.ctl);
	return arg;
}

static void signaller_pause(void)
{
	pthread_mutex_lock(&g.ctl);
	g.sig_pause = 1;
	while (!g.sig_paused)
		pthread_cond_wait(&g.cv, &g.ctl);
	pthread_mutex_unlock(&g.ctl);
}

static void signaller_resume(void)
{
	pthread_mutex_lock(&g.ctl);
	g.sig_pause = 0;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.ctl);
}

static void signaller_request(struct proc *p, int sig, long delay_us)
{
	pthread_mutex_lock(&g.ctl);
	g.req_proc = p;
	g.req_sig = sig;
	g.req_delay_us = delay_us;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.ctl);
}

static int signaller_request_done(void)
{
	int d;

	pthread_mutex_lock(&g.ctl);
	d = !g.req_proc;
	pthread_mutex_unlock(&g.ctl);
	return d;
}

/* ------------------------------------------------------------------ */
/* Chaos */

static struct proc *random_proc(void)
{
	int i, k = r_(g.nprocs);

	for (i = 0; i < g.nprocs; i++) {
		struct proc *p = &g.procs[(k + i) % g.nprocs];

		if (p->alive && !killed(p))
			return p;
	}
	return NULL;
}

static void chaos_stopped(struct thr *x)
{
	int a = r_(100);

	if (!x->event) {
		if (a < 60)
			op_cont(x, ch_(85) ? x->sig : 0, 0);
		else if (a < 70)
			op_cont(x, ch_(85) ? x->sig : 0, 1);
		else if (a < 80)
			op_getsiginfo(x);
		else if (a < 85)
			op_listen(x);
		else if (a < 90 && g.jcont)
			op_jcont(x);
		else
			op_waitprobe(x);
		return;
	}
	if (a < 25)
		op_cont(x, 0, 0);
	else if (a < 40)
		op_listen(x);
	else if (a < 60 && g.jcont)
		op_jcont(x);
	else if (a < 60)
		op_cont(x, 0, 0);
	else if (a < 68)
		op_cont(x, 0, 1);
	else if (a < 78)
		op_getregs(x);
	else if (a < 86)
		op_getsiginfo(x);
	else if (a < 93)
		op_interrupt(x);
	else
		op_waitprobe(x);
}

static void chaos_jcont(struct thr *x)
{
	int a = r_(100);

	if (a < 25)
		op_getregs(x);
	else if (a < 35)
		op_burst(x);
	else if (a < 45)
		op_getsiginfo(x);
	else if (a < 55)
		op_waitprobe(x);
	else if (a < 70)
		op_interrupt(x);
	else if (a < 82)
		op_cont(x, 0, 0);
	else if (a < 87)
		op_cont(x, 0, 1);
	else if (a < 92)
		op_resubscribe(x, 1);
	else
		op_resubscribe(x, 0);
}

static void chaos_op(void)
{
	struct proc *p = random_proc();
	struct thr *x;
	int a = r_(100);

	if (!p)
		return;
	x = &p->thr[r_(p->nthr)];
	switch (x->st) {
	case T_DETACHED:
		if (a < 60 && !op_seize(x) && ch_(40))
			op_interrupt(x);
		break;
	case T_RUNNING:
		if (a < 45)
			op_interrupt(x);
		else if (a < 55)
			op_blind(x);
		break;
	case T_STOPPED:
		chaos_stopped(x);
		break;
	case T_LISTENING:
		if (a < 40)
			op_interrupt(x);
		else if (a < 60)
			op_getregs(x);
		else if (a < 70)
			op_waitprobe(x);
		break;
	case T_JCONT:
		chaos_jcont(x);
		break;
	default:
		break;
	}
}

static void recover_broken(void)
{
	int i;

	for (i = 0; i < g.nprocs; i++)
		if (g.procs[i].broken && !g.abort_run)
			recover(&g.procs[i]);
}

/* 20 to 300 ms of random requests while the signaller is active */
static void chaos(void)
{
	long long end = now_ns() + (20 + r_(280)) * NSEC_PER_MSEC;

	g.ph = PH_CHAOS;
	g.calm_proc = NULL;
	signaller_resume();
	while (!done() && now_ns() < end) {
		pump();
		service_all(1);
		recover_broken();
		chaos_op();
		if (ch_(50))
			sleep_us(r_(200));
	}
	signaller_pause();
	pump();
}

/* ------------------------------------------------------------------ */
/* Settle: SIGCONT, resume everything, wait until nothing is stopped */

static int settle_ready(struct proc *p)
{
	int i;

	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];
		long long nv;

		if (x->st == T_DETACHED)
			continue;
		if (x->st != T_RUNNING || x->expect_by || x->settle_nv < 0)
			return 0;
		nv = thread_nvcsw(x);
		if (nv < x->settle_nv + 2)
			return 0;
	}
	return 1;
}

static int settle_state_ok(struct proc *p, int report)
{
	unsigned long long tp, sp;
	int i, ok = 1;
	char c;

	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		c = thread_state(x);
		if (c == 'T' || c == 't' || c == '?') {
			ok = 0;
			if (report)
				violation(INV_SETTLE, x,
					  "thread is '%c' after SIGCONT and resuming every tracee",
					  c);
		}
		if (thread_pending(x, &tp, &sp) || tp || sp) {
			ok = 0;
			if (report)
				violation(INV_SETTLE, x,
					  "signals pending after settling: thread %#llx shared %#llx",
					  tp, sp);
		}
		if (report && x->st != T_DETACHED &&
		    (x->st != T_RUNNING || x->expect_by))
			violation(INV_SETTLE, x,
				  "tracee did not settle (state %s, expecting a report: %d)",
				  tstate_name[x->st], !!x->expect_by);
	}
	return ok;
}

static int in_set(struct proc *p, struct proc *only)
{
	return p->alive && !killed(p) && (!only || p == only);
}

/* Resume whatever is stopped; returns 1 if it did anything */
static int settle_act(struct proc *p)
{
	int j, data, acted = 0;

	for (j = 0; j < p->nthr; j++) {
		struct thr *x = &p->thr[j];

		switch (x->st) {
		case T_STOPPED:
		case T_JCONT:
			data = x->st == T_STOPPED && !x->event &&
			       x->sig == SIGCONT ? SIGCONT : 0;
			if (!op_cont(x, data, 0))
				x->settle_nv = thread_nvcsw(x);
			acted = 1;
			break;
		case T_LISTENING:
			if (!x->interrupted) {
				op_interrupt(x);
				acted = 1;
			}
			break;
		default:
			break;
		}
	}
	return acted;
}

static int settle(struct proc *only, int send_cont)
{
	long long end = now_ns() + g.bound_ns, quiet = now_ns(), next = 0;
	int i, j, ready, failed = 0;

	g.ph = PH_SETTLE;
	g.calm_proc = NULL;
	for (i = 0; i < g.nprocs; i++) {
		struct proc *p = &g.procs[i];

		if (!in_set(p, only))
			continue;
		if (send_cont)
			send_sig(p, SIGCONT);
		for (j = 0; j < p->nthr; j++)
			p->thr[j].settle_nv = thread_nvcsw(&p->thr[j]);
	}
	for (;;) {
		if (pump())
			quiet = now_ns();
		for (i = 0; i < g.nprocs; i++)
			if (in_set(&g.procs[i], only) &&
			    settle_act(&g.procs[i]))
				quiet = now_ns();
		/* /proc is read at most every 5 ms, after 20 ms of quiet */
		if (now_ns() - quiet >= SETTLE_QUIET_NS && now_ns() >= next) {
			next = now_ns() + 5 * NSEC_PER_MSEC;
			ready = 1;
			for (i = 0; i < g.nprocs && ready; i++)
				if (in_set(&g.procs[i], only) &&
				    (!settle_ready(&g.procs[i]) ||
				     !settle_state_ok(&g.procs[i], 0)))
					ready = 0;
			if (ready)
				break;
		}
		if (g.abort_run)
			return -1;
		if (now_ns() > end) {
			failed = 1;
			break;
		}
		idle();
	}
	for (i = 0; i < g.nprocs; i++) {
		struct proc *p = &g.procs[i];

		if (!in_set(p, only))
			continue;
		if (failed) {
			settle_state_ok(p, 1);
			p->broken = 1;
		} else {
			check(INV_SETTLE, 1, NULL, "settled");
		}
	}
	return failed ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Check sequence for one process */

static int cond_step1(struct proc *p)
{
	int i;

	for (i = 0; i < p->nthr; i++)
		if (p->thr[i].ph_expect)
			return 0;
	return 1;
}

/* Strict probes of a subscribed tracee while nothing can wake it */
static void probe_calm(struct thr *x)
{
	if (x->st == T_JCONT) {
		op_waitprobe(x);
		op_getregs(x);
		op_getsiginfo(x);
		if (ch_(50)) {
			op_interrupt(x);
			if (x->st == T_STOPPED)
				op_jcont(x);
		}
	} else if (x->st == T_LISTENING) {
		op_waitprobe(x);
		op_getregs(x);
	}
}

static void let_go(struct thr *x)
{
	int a = r_(100);

	if (!x->event) {
		op_cont(x, x->sig, ch_(20));
		return;
	}
	if (a < 35 && g.jcont)
		op_jcont(x);
	else if (a < 60)
		op_listen(x);
	else if (a < 85)
		op_cont(x, 0, 0);
	else
		op_cont(x, 0, 1);
}

/*
 * Let go what reports.  A tracee still in the SIGTRAP stop of step 1 is
 * held until the group stop has been initiated (some tracee reported it,
 * or 100 ms passed): then the notification is already pending when it is
 * let go, and DETACH finds its share of the group stop (STOP_PENDING and
 * STOP_CONSUME) still to be consumed.
 */
static void act_stopping(struct proc *p)
{
	int i, initiated = now_ns() > g.ph_t0 + 100 * NSEC_PER_MSEC;

	for (i = 0; i < p->nthr; i++)
		initiated |= p->thr[i].ph_stopped;
	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		if (x->st != T_STOPPED)
			continue;
		if (x->event && x->sig == SIGTRAP && !initiated)
			continue;
		let_go(x);
	}
}

static int cond_stopping(struct proc *p)
{
	struct rp_view v;
	int i;
	char c;

	rp_read(p, &v);
	if (v.stops <= g.ph_stops0)
		return 0;
	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		switch (x->st) {
		case T_DETACHED:
			if (thread_state(x) != 'T')
				return 0;
			break;
		case T_RUNNING:
			if (!x->ph_stopped)
				return 0;
			break;
		case T_LISTENING:
		case T_JCONT:
			c = thread_state(x);
			if (!x->ph_stopped || c != 't')
				return 0;
			break;
		default:
			return 0;
		}
	}
	return 1;
}

static void diagnose_stopping(struct proc *p)
{
	struct rp_view v;
	int i;
	char c;

	rp_read(p, &v);
	check(INV_GSTOP, v.stops > g.ph_stops0, NULL,
	      "P%d pid %d: real parent saw no stop %d s after %s",
	      p->slot, p->pid, g.bound, sig_name(g.ph_sig));
	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		c = thread_state(x);
		if (x->st == T_DETACHED)
			check(INV_GSTOP, c == 'T', x,
			      "untraced thread is '%c', not stopped", c);
		else if (x->st == T_JCONT || x->st == T_LISTENING)
			check(INV_NOTIFY, x->ph_stopped && c == 't', x,
			      "subscribed tracee did not report the group stop (reported: %d, state '%c')",
			      x->ph_stopped, c);
		else
			check(INV_GSTOP, x->ph_stopped, x,
			      "tracee did not report its group stop");
	}
}

static void seize_stopped(struct thr *x)
{
	int status;
	char d[48];
	pid_t w;

	if (op_seize(x))
		return;
	x->ph_allow = 1;
	w = wait_tid(x, &status);
	check(INV_SEIZE_STOP, w == x->tid && (status >> 16) == PTRACE_EVENT_STOP &&
	      WSTOPSIG(status) == g.ph_sig, x,
	      "PTRACE_SEIZE of a stopped thread: wait gave %s at once",
	      status_str(w, status, d, sizeof(d)));
	if (w == x->tid)
		on_report(x, status);
	else
		expect(x, "PTRACE_SEIZE of a stopped thread");
	x->ph_allow = 0;
}

static void act_cont(struct proc *p)
{
	int i;

	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		if (x->st == T_STOPPED && !x->ph_need)
			op_cont(x, x->event ? 0 : x->sig, 0);
	}
}

static int cond_cont(struct proc *p)
{
	struct rp_view v;
	int i;

	rp_read(p, &v);
	if (v.conts <= g.ph_conts0)
		return 0;
	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		if (x->ph_need)
			return 0;
		if (x->st == T_DETACHED && thread_state(x) == 'T')
			return 0;
	}
	return 1;
}

static void diagnose_cont(struct proc *p)
{
	struct rp_view v;
	int i;
	char c;

	rp_read(p, &v);
	check(INV_GCONT, v.conts > g.ph_conts0, NULL,
	      "P%d pid %d: real parent saw no WIFCONTINUED %d s after SIGCONT",
	      p->slot, p->pid, g.bound);
	for (i = 0; i < p->nthr; i++) {
		struct thr *x = &p->thr[i];

		c = thread_state(x);
		if (x->st == T_DETACHED)
			check(INV_GCONT, c != 'T', x,
			      "untraced thread still stopped after SIGCONT");
		else if (x->st == T_JCONT || x->st == T_LISTENING)
			check(INV_NOTIFY, !x->ph_need, x,
			      "subscribed tracee did not report the SIGCONT (state '%c')",
			      c);
		else
			check(INV_GCONT, !x->ph_need, x,
			      "tracee did not report the SIGCONT (state '%c')",
			      c);
	}
}

/*
 * SIGCONT from the signaller while the tracer reads the registers of a
 * JOBCTL_CONT tracee: the notification often arrives while the tracee is
 * frozen for a request, and must then be delivered when it is unfrozen.
 */
static void racing_cont(struct proc *p, struct thr *x)
{
	unsigned long long regs[160];
	struct iovec iov = { .iov_base = regs, .iov_len = sizeof(regs) };
	long long end = now_ns() + g.bound_ns;
	int after = 0, c0;
	struct snap s;
	long r;

	snap(p, &s);
	c0 = s.cont_seq;
	inc(&g.races);
	signaller_request(p, SIGCONT, r_(300));
	while (after < 40 && now_ns() < end) {
		r = preq(R_REGS, PTRACE_GETREGSET, x, NT_PRSTATUS,
			 (unsigned long)&iov);
		snap(p, &s);
		if (r)
			inc(&g.race_esrch);
		check(INV_JCONT_REQ, !r || (r == -ESRCH && s.cont_seq != c0), x,
		      "PTRACE_GETREGSET racing SIGCONT: %s before it was sent",
		      errstr(r));
		if (s.cont_seq != c0)
			after++;
	}
	while (!signaller_request_done() && now_ns() < end)
		idle();
}

static int check_proc(struct proc *p)
{
	int i, n, sig;
	struct thr *x, *race = NULL;
	struct rp_view v;

	inc(&g.checks_done);
	g.ph_proc = p;
	for (i = 0; i < p->nthr; i++) {
		x = &p->thr[i];
		x->ph_expect = 0;
		x->ph_stopped = 0;
		x->ph_need = 0;
		x->ph_allow = 0;
		if (x->st == T_DETACHED && ch_(50))
			op_seize(x);
	}

	/* 1: INTERRUPT some tracees; at least one thread keeps running */
	g.ph = PH_STEP1;
	for (i = 0; i < p->nthr; i++)
		if (p->thr[i].st == T_RUNNING && ch_(60))
			p->thr[i].ph_expect = 1;
	for (i = n = 0; i < p->nthr; i++)
		n += !p->thr[i].ph_expect;
	if (!n)
		p->thr[r_(p->nthr)].ph_expect = 0;
	for (i = 0; i < p->nthr; i++)
		if (p->thr[i].ph_expect)
			op_interrupt(&p->thr[i]);
	if (!wait_until(cond_step1, NULL, p))
		return -1;
	g.calm_proc = p;
	for (i = 0; i < p->nthr; i++) {
		x = &p->thr[i];
		if (x->st != T_STOPPED)
			continue;
		n = r_(100);
		if (n < 40 && g.jcont)
			op_jcont(x);
		else if (n < 70)
			op_listen(x);
		probe_calm(x);
	}
	g.calm_proc = NULL;

	/* 2: stop the group, let every tracee go */
	sig = ch_(70) ? SIGSTOP : SIGTSTP;
	g.ph_sig = sig;
	rp_read(p, &v);
	g.ph_stops0 = v.stops;
	g.ph = PH_STOPPING;
	g.ph_t0 = now_ns();
	send_sig(p, sig);
	if (!wait_until(cond_stopping, act_stopping, p)) {
		diagnose_stopping(p);
		return -1;
	}
	rp_read(p, &v);
	check(INV_GSTOP, v.stop_sig == sig, NULL,
	      "P%d: real parent saw WSTOPSIG %d after %s", p->slot,
	      v.stop_sig, sig_name(sig));

	/* 3: nothing can happen now: strict probes, re-seize */
	g.ph = PH_STOPPED;
	g.calm_proc = p;
	for (i = 0; i < p->nthr; i++) {
		x = &p->thr[i];
		if (x->st == T_DETACHED && ch_(50)) {
			seize_stopped(x);
			if (x->st == T_STOPPED)
				let_go(x);
		}
		probe_calm(x);
		if (x->st == T_STOPPED)
			let_go(x);
		if (x->st == T_JCONT)
			race = x;
	}
	pump();
	g.calm_proc = NULL;
	rp_read(p, &v);
	check(INV_GSTOP, v.stops == g.ph_stops0 + 1 && v.last == 1, NULL,
	      "P%d: real parent saw %d stops after one %s", p->slot,
	      v.stops - g.ph_stops0, sig_name(sig));
	for (i = 0; i < p->nthr; i++)
		if (p->thr[i].st == T_STOPPED || p->thr[i].expect_by)
			return -1;

	/* 4: SIGKILL, or SIGCONT: every tracee reports it */
	if (ch_(CHECK_KILL_PERCENT)) {
		g.ph = PH_SETTLE;
		send_sig(p, SIGKILL);
		if (!wait_until(cond_dead, NULL, p))
			return -1;
		service_killed(p, 1);
		return 0;
	}
	g.ph_conts0 = v.conts;
	for (i = 0; i < p->nthr; i++) {
		x = &p->thr[i];
		x->ph_need = x->st != T_DETACHED;
	}
	g.ph = PH_CONT;
	if (race && ch_(60))
		racing_cont(p, race);
	else
		send_sig(p, SIGCONT);
	if (!wait_until(cond_cont, act_cont, p)) {
		diagnose_cont(p);
		return -1;
	}
	check(INV_GCONT, 1, NULL, "continued");

	/* 5 */
	return settle(p, 0);
}

static void check_round(void)
{
	int i;

	inc(&g.rounds);
	g.ph = PH_SETTLE;
	service_all(1);
	for (i = 0; i < g.nprocs && !g.abort_run; i++)
		if (g.procs[i].alive && killed(&g.procs[i]))
			recover(&g.procs[i]);
	if (settle(NULL, 1))
		recover_broken();
	for (i = 0; i < g.nprocs && !g.abort_run && !done(); i++) {
		struct proc *p = &g.procs[i];

		if (!p->alive || killed(p))
			continue;
		if (check_proc(p)) {
			info("P%d: check sequence failed", p->slot);
			g.ph = PH_SETTLE;
			recover(p);
		}
	}
	g.ph = PH_CHAOS;
	g.ph_proc = NULL;
	g.calm_proc = NULL;
}

/* ------------------------------------------------------------------ */
/* Tracee processes and the real parent */

static void reset_signals(void)
{
	static const int sigs[] = {
		SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT, SIGCHLD, SIGPIPE, SIGINT,
		SIGTERM, SIGHUP, SIGALRM, SIGQUIT,
	};
	sigset_t none;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void *tracee_thread(void *arg)
{
	struct slot *s = &g.sh->slot[g.tr_slot];
	long idx = (long)arg;
	unsigned long long r, sink = 0;
	struct timespec ts;
	int i, n;

	r = rng_seed(g.seed ^ ((unsigned long long)g.tr_slot << 32) ^
		     (idx << 16) ^ gettid_());
	st(&s->tids[idx], gettid_());
	__atomic_add_fetch(&s->ntids, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		switch (rnd(&r, 8)) {
		case 0:
		case 1:
		case 2:
			sleep_us(50 + rnd(&r, 2000));
			break;
		case 3:
			ts.tv_sec = 0;
			ts.tv_nsec = (50 + rnd(&r, 1000)) * NSEC_PER_USEC;
			ppoll(NULL, 0, &ts, NULL);
			break;
		case 4:
			n = 1 + rnd(&r, 20);
			for (i = 0; i < n; i++)
				getppid();
			break;
		case 5:
			n = 2000 + rnd(&r, 20000);
			for (i = 0; i < n; i++)
				__atomic_add_fetch(&sink, 1, __ATOMIC_RELAXED);
			break;
		case 6:
			sched_yield();
			break;
		default:
			clock_gettime(CLOCK_MONOTONIC, &ts);
			break;
		}
	}
	return NULL;
}

static void tracee_main(int slot, pid_t rp)
{
	pthread_attr_t attr;
	pthread_t t;
	long i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != rp)
		_exit(1);
	setpgid(0, 0);
	reset_signals();
	close(g.cmd_rd);
	/*
	 * The workload must not starve the roles that judge it (the bounds
	 * are wall clock): lower the weight of every tracee thread.
	 */
	setpriority(PRIO_PROCESS, 0, TRACEE_NICE);
	g.tr_slot = slot;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (i = 1; i < g.nthreads; i++)
		if (pthread_create(&t, &attr, tracee_thread, (void *)i))
			_exit(3);
	tracee_thread((void *)0);
	_exit(0);
}

static void rp_spawn(int i)
{
	struct slot *s = &g.sh->slot[i];
	pid_t pid;
	int j;

	st(&s->rp_seq, ld(&s->rp_seq) + 1);
	st(&s->rp_stops, 0);
	st(&s->rp_conts, 0);
	st(&s->rp_last, 0);
	st(&s->rp_stop_sig, 0);
	st(&s->rp_exited, 0);
	st(&s->rp_exit_status, 0);
	st(&s->rp_bad, 0);
	st(&s->rp_seq, ld(&s->rp_seq) + 1);
	st(&s->ntids, 0);
	for (j = 0; j < MAX_THREADS; j++)
		st(&s->tids[j], 0);
	st(&s->pid, 0);
	pid = fork();
	if (!pid)
		tracee_main(i, g.rpid);
	st(&s->pid, pid < 0 ? -errno : pid);
	st(&s->gen, ld(&s->gen) + 1);
}

static void rp_record(pid_t pid, int status, const int *stamps)
{
	struct slot *s = NULL;
	int i;

	for (i = 0; i < MAX_PROCS; i++)
		if (ld(&g.sh->slot[i].pid) == pid &&
		    !ld(&g.sh->slot[i].rp_exited))
			s = &g.sh->slot[i];
	if (!s) {
		__atomic_add_fetch(&g.sh->rp_stray, 1, __ATOMIC_SEQ_CST);
		return;
	}
	i = s - g.sh->slot;
	st(&s->rp_seq, ld(&s->rp_seq) + 1);
	if (WIFSTOPPED(status)) {
		st(&s->rp_last, 1);
		st(&s->rp_stop_sig, WSTOPSIG(status));
		st(&s->rp_stop_stamp, stamps[i]);
		st(&s->rp_stops, ld(&s->rp_stops) + 1);
		if (!is_stop_sig(WSTOPSIG(status))) {
			st(&s->rp_bad_status, status);
			st(&s->rp_bad, ld(&s->rp_bad) + 1);
		}
	} else if (WIFCONTINUED(status)) {
		st(&s->rp_last, 2);
		st(&s->rp_conts, ld(&s->rp_conts) + 1);
	} else {
		st(&s->rp_exit_status, status);
		st(&s->rp_exited, 1);
	}
	st(&s->rp_seq, ld(&s->rp_seq) + 1);
}

static void rp_quit(void)
{
	int i, pid;

	for (i = 0; i < MAX_PROCS; i++) {
		pid = ld(&g.sh->slot[i].pid);
		if (pid > 0 && !ld(&g.sh->slot[i].rp_exited))
			kill(pid, SIGKILL);
	}
}

static void rp_sigchld(int sig)
{
}

/*
 * The real parent sleeps until a command or a SIGCHLD comes: polling
 * would make it a busy task, and a busy task can wait on a loaded
 * runqueue for longer than the bound.
 */
static void rp_main(void)
{
	struct sigaction sa = { .sa_handler = rp_sigchld };
	struct timespec ts = { .tv_nsec = 100 * NSEC_PER_MSEC };
	sigset_t chld, unblocked;
	long long end = 0;
	int stamps[MAX_PROCS];
	int i, n, status;
	char buf[64];
	pid_t pid;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != g.mpid)
		_exit(1);
	reset_signals();
	close(g.cmd_wr);
	g.rpid = getpid();
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &unblocked);
	for (;;) {
		struct pollfd pfd = { .fd = g.cmd_rd, .events = POLLIN };

		if (ppoll(&pfd, 1, &ts, &unblocked) > 0) {
			n = read(g.cmd_rd, buf, sizeof(buf));
			if (n <= 0 && !end) {
				end = now_ns() + 30 * NSEC_PER_SEC;
				rp_quit();
			}
			for (i = 0; i < n; i++) {
				if (buf[i] == CMD_QUIT && !end) {
					end = now_ns() + 30 * NSEC_PER_SEC;
					rp_quit();
				} else if (!end && buf[i] >= 0 &&
					   buf[i] < MAX_PROCS) {
					rp_spawn(buf[i]);
				}
			}
		}
		st(&g.sh->rp_loops, ld(&g.sh->rp_loops) + 1);
		__atomic_store_n(&g.sh->rp_last_ns, now_ns(), __ATOMIC_SEQ_CST);
		for (;;) {
			for (i = 0; i < MAX_PROCS; i++)
				stamps[i] = ld(&g.sh->slot[i].cont_seq);
			pid = waitpid(-1, &status,
				      WNOHANG | WUNTRACED | WCONTINUED);
			if (pid <= 0)
				break;
			rp_record(pid, status, stamps);
		}
		if (end && pid < 0 && errno == ECHILD)
			_exit(0);
		if (end && now_ns() > end)
			_exit(2);
	}
}

/* ------------------------------------------------------------------ */
/* Probe, watchdog, cleanup, report */

/*
 * Is ptrace usable, and does the kernel have PTRACE_JOBCTL_CONT?  Returns
 * 0 or -errno of a failed PTRACE_SEIZE.
 */
static int probe(void)
{
	long long end;
	int status = 0;
	pid_t c, w = 0;
	long r;

	c = fork();
	if (c < 0)
		return -errno;
	if (!c) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	r = sys_ptrace(PTRACE_SEIZE, c, 0, 0);
	if (r) {
		r = -errno;
		kill(c, SIGKILL);
		waitpid(c, &status, __WALL);
		return (int)r;
	}
	/* a task sleeping in pause() shows in wchan, if wchan works here */
	end = now_ns() + NSEC_PER_SEC;
	while (!g.wchan_ok && now_ns() < end) {
		char buf[128];

		if (read_task_file(c, c, "wchan", buf, sizeof(buf)) > 0 &&
		    strcmp(buf, "0"))
			g.wchan_ok = 1;
		else
			sleep_us(1000);
	}
	sys_ptrace(PTRACE_INTERRUPT, c, 0, 0);
	end = now_ns() + g.bound_ns;
	while (!w && now_ns() < end) {
		w = waitpid(c, &status, __WALL | WNOHANG);
		if (!w)
			sleep_us(1000);
	}
	if (w == c && WIFSTOPPED(status) &&
	    (status >> 16) == PTRACE_EVENT_STOP) {
		r = sys_ptrace(PTRACE_JOBCTL_CONT, c, 0, 0);
		g.jcont = !r;
		g.probe_err = r ? errno : 0;
	} else {
		g.probe_err = -1;
	}
	kill(c, SIGKILL);
	while (waitpid(c, &status, __WALL) == c && !WIFSIGNALED(status) &&
	       !WIFEXITED(status))
		;
	return 0;
}

/*
 * Last resort (watchdog, interrupted run): SIGKILL everything and reap
 * for a while.  We are a subreaper and the tracer, so once the real
 * parent is dead every tracee thread and process ends up reaped here.
 */
static void kill_everything(void)
{
	long long end = now_ns() + 3 * NSEC_PER_SEC;
	int i, status;
	pid_t w;

	for (i = 0; i < g.nprocs; i++)
		if (g.procs[i].pid > 0)
			kill(g.procs[i].pid, SIGKILL);
	if (g.rpid > 0)
		kill(g.rpid, SIGKILL);
	while (now_ns() < end) {
		w = waitpid(-1, &status, __WALL | WNOHANG);
		if (w < 0)
			break;
		if (!w)
			sleep_us(10000);
	}
}

static void dump_task(pid_t pid, pid_t tid, const char *what)
{
	char stat[512], wchan[128], stack[2048], *p, *nl;

	if (read_task_file(pid, tid, "stat", stat, sizeof(stat)) < 0)
		snprintf(stat, sizeof(stat), "(gone)");
	if (read_task_file(pid, tid, "wchan", wchan, sizeof(wchan)) < 0)
		snprintf(wchan, sizeof(wchan), "?");
	p = strrchr(stat, ')');
	dprintf(1, "#   %s tid %d state %c wchan %s\n", what, tid,
		p && p[1] ? p[2] : '?', wchan);
	if (read_task_file(pid, tid, "stack", stack, sizeof(stack)) < 0)
		return;
	for (p = stack; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = 0;
		dprintf(1, "#     %s\n", p);
	}
}

static void print_summary(int fd)
{
	unsigned long long checked = 0, violated = 0;
	int i;

	for (i = 0; i < INV_NR; i++) {
		checked += g.checked[i];
		violated += g.violated[i];
		dprintf(fd, "# invariant %-12s checked %10llu violated %llu\n",
			inv_name[i], g.checked[i], g.violated[i]);
	}
	dprintf(fd, "# requests:");
	for (i = 0; i < (int)ARRAY_SIZE(req_name); i++)
		dprintf(fd, " %s=%llu", req_name[i], g.nreq[i]);
	dprintf(fd, "\n# rounds=%llu checks=%llu kills=%llu spawns=%llu\n",
		g.rounds, g.checks_done, g.kills, g.respawns);
	dprintf(fd, "# racing-sigcont=%llu (esrch %llu) stray=%llu/%d\n",
		g.races, g.race_esrch, g.stray, g.sh ? g.sh->rp_stray : 0);
	dprintf(fd, "operations: %llu\n", g.ops);
	dprintf(fd, "invariants checked: %llu\n", checked);
	dprintf(fd, "violations: %llu\n", violated);
}

static void *watchdog_main(void *arg)
{
	int sig = 0, i, j;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	while (sigwait(&set, &sig) || __atomic_load_n(&g.final, __ATOMIC_SEQ_CST))
		;
	__atomic_store_n(&g.final, 2, __ATOMIC_SEQ_CST);
	if (sig == SIGALRM) {
		inc(&g.checked[INV_WATCHDOG]);
		inc(&g.violated[INV_WATCHDOG]);
		dprintf(1, "# VIOLATION watchdog: the run hangs at %.3fs; tasks:\n",
			elapsed());
	} else {
		dprintf(1, "# interrupted by signal %d at %.3fs; tasks:\n", sig,
			elapsed());
	}
	dump_task(g.mpid, g.tracer_tid, "tracer");
	if (g.rpid > 0)
		dump_task(g.rpid, g.rpid, "real parent");
	for (i = 0; i < g.nprocs; i++) {
		struct proc *p = &g.procs[i];

		for (j = 0; j < p->nthr; j++) {
			char what[64];

			snprintf(what, sizeof(what), "P%d T%d (%s)", i, j,
				 tstate_name[p->thr[j].st]);
			dump_task(p->pid, p->thr[j].tid, what);
		}
	}
	kill_everything();
	print_summary(1);
	dprintf(1, "not ok 1 jobctl_stress seed=%u ops=%llu (%s)\n", g.seed,
		g.ops, sig == SIGALRM ? "watchdog: hang" : "interrupted");
	_exit(KSFT_FAIL);
	return arg;
}

static void cleanup(void)
{
	long long end;
	int i, status;
	char c = CMD_QUIT;

	pthread_mutex_lock(&g.ctl);
	g.sig_exit = 1;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.ctl);
	pthread_join(g.sig_thread, NULL);

	g.ph = PH_SETTLE;
	g.calm_proc = NULL;
	for (i = 0; i < g.nprocs; i++)
		send_sig(&g.procs[i], SIGKILL);
	end = now_ns() + g.bound_ns;
	for (;;) {
		int all = 1;

		pump();
		for (i = 0; i < g.nprocs; i++) {
			service_killed(&g.procs[i], 0);
			if (g.procs[i].alive)
				all = 0;
		}
		if (all || now_ns() > end)
			break;
		idle();
	}
	for (i = 0; i < g.nprocs; i++)
		if (g.procs[i].alive && !g.procs[i].kill_reported)
			report_undead(&g.procs[i], "the final SIGKILL");
	g.rp_quitting = 1;
	if (write(g.cmd_wr, &c, 1) != 1)
		kill(g.rpid, SIGKILL);
	end = now_ns() + g.bound_ns;
	while (g.rpid > 0 && now_ns() < end) {
		pump();
		idle();
	}
	if (g.rpid > 0) {
		kill(g.rpid, SIGKILL);
		waitpid(g.rpid, &status, __WALL);
	}
	/* we are a subreaper: collect whatever was orphaned */
	end = now_ns() + 2 * NSEC_PER_SEC;
	while (now_ns() < end) {
		pid_t w = waitpid(-1, &status, __WALL | WNOHANG);

		if (w < 0)
			break;
		if (!w)
			idle();
	}
}

static void print_usage(const char *prog)
{
	printf("%s [-s SEED] [-n OPS] [-t SECS] [-p PROCS] [-T THREADS] [-b BOUND] [-v]\n",
	       prog);
	printf("  -s SEED     random seed (default: from the clock)\n");
	printf("  -n OPS      stop after OPS requests and signals (default 1000000)\n");
	printf("  -t SECONDS  stop after SECONDS (default 30)\n");
	printf("  -p PROCS    tracee processes, 1..%d (default 3)\n", MAX_PROCS);
	printf("  -T THREADS  threads per tracee process, 1..%d (default 3)\n",
	       MAX_THREADS);
	printf("  -b BOUND    seconds allowed for every awaited event (default 5)\n");
	printf("  -v          verbose\n");
}

static long arg_num(const char *s, long min, long max, const char *prog)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < min || v > max) {
		print_usage(prog);
		exit(KSFT_FAIL);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long long checked = 0;
	pthread_t wd;
	sigset_t set;
	int fds[2], opt, i, r;

	g.seed = (unsigned int)(time(NULL) ^ (getpid() << 16));
	g.nprocs = 3;
	g.nthreads = 3;
	g.max_ops = 1000000;
	g.time_limit = 30;
	g.bound = 5;
	while ((opt = getopt(argc, argv, "s:n:t:p:T:b:vh")) != -1) {
		switch (opt) {
		case 's':
			g.seed = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'n':
			g.max_ops = arg_num(optarg, 1, 0x7fffffffL, argv[0]);
			break;
		case 't':
			g.time_limit = arg_num(optarg, 1, 86400, argv[0]);
			break;
		case 'p':
			g.nprocs = arg_num(optarg, 1, MAX_PROCS, argv[0]);
			break;
		case 'T':
			g.nthreads = arg_num(optarg, 1, MAX_THREADS, argv[0]);
			break;
		case 'b':
			g.bound = arg_num(optarg, 1, 600, argv[0]);
			break;
		case 'v':
			g.verbose = 1;
			break;
		default:
			print_usage(argv[0]);
			return opt == 'h' ? KSFT_PASS : KSFT_FAIL;
		}
	}
	g.bound_ns = g.bound * NSEC_PER_SEC;
	g.ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	g.rng = rng_seed(g.seed);
	g.t0 = now_ns();
	g.mpid = getpid();
	g.tracer_tid = gettid_();

	ksft_print_header();
	ksft_set_plan(1);
	ksft_print_msg("jobctl_stress: seed=%u procs=%d threads=%d ops<=%llu time<=%ds bound=%ds\n",
		       g.seed, g.nprocs, g.nthreads, g.max_ops, g.time_limit,
		       g.bound);
	ksft_print_msg("reproduce with: %s -s %u -p %d -T %d -n %llu -t %d -b %d\n",
		       argv[0], g.seed, g.nprocs, g.nthreads, g.max_ops,
		       g.time_limit, g.bound);

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGALRM);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	r = probe();
	if (r) {
		ksft_test_result_skip("jobctl_stress: ptrace unusable: PTRACE_SEIZE: %s\n",
				      strerror(-r));
		return KSFT_SKIP;
	}
	if (!g.wchan_ok)
		ksft_print_msg("no usable wchan: staleness is decided after the bound\n");
	if (g.nprocs * g.nthreads > 16 * g.ncpus)
		ksft_print_msg("note: %d tracee threads on %d CPUs: if overloaded, raise -b\n",
			       g.nprocs * g.nthreads, g.ncpus);
	if (g.jcont)
		ksft_print_msg("PTRACE_JOBCTL_CONT: supported\n");
	else
		ksft_print_msg("PTRACE_JOBCTL_CONT: not supported (%s): skipping it\n",
			       g.probe_err > 0 ? strerror(g.probe_err) :
			       "no PTRACE_EVENT_STOP to probe it");

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	g.sh = mmap(NULL, sizeof(*g.sh), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (g.sh == MAP_FAILED)
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));
	if (pipe2(fds, O_CLOEXEC))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	g.cmd_rd = fds[0];
	g.cmd_wr = fds[1];
	for (i = 0; i < MAX_PROCS; i++) {
		g.procs[i].slot = i;
		pthread_mutex_init(&g.procs[i].lock, NULL);
	}
	pthread_mutex_init(&g.ctl, NULL);
	pthread_cond_init(&g.cv, NULL);
	g.sig_pause = 1;

	fflush(stdout);
	g.rpid = fork();
	if (g.rpid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!g.rpid)
		rp_main();
	close(g.cmd_rd);

	if (pthread_create(&wd, NULL, watchdog_main, NULL))
		ksft_exit_fail_msg("pthread_create failed\n");
	alarm(g.time_limit + 12 * g.bound + 30);
	g.t_end = now_ns() + g.time_limit * NSEC_PER_SEC;
	for (i = 0; i < g.nprocs && !g.abort_run; i++)
		spawn(&g.procs[i]);
	if (pthread_create(&g.sig_thread, NULL, signaller_main, NULL))
		ksft_exit_fail_msg("pthread_create failed\n");
	signaller_pause();

	while (!done()) {
		chaos();
		if (done())
			break;
		check_round();
	}
	/* the run ends in a verified clean state */
	if (!g.abort_run) {
		g.ph = PH_SETTLE;
		service_all(1);
		recover_broken();
		settle(NULL, 1);
	}
	cleanup();
	__atomic_store_n(&g.final, 1, __ATOMIC_SEQ_CST);
	alarm(0);

	fflush(stdout);
	print_summary(1);
	for (i = 0; i < INV_NR; i++)
		checked += g.checked[i];
	if (g.nviolations) {
		ksft_test_result_fail("jobctl_stress seed=%u ops=%llu violations=%llu\n",
				      g.seed, g.ops, g.nviolations);
		return KSFT_FAIL;
	}
	ksft_test_result_pass("jobctl_stress seed=%u ops=%llu checked=%llu%s\n",
			      g.seed, g.ops, checked,
			      g.jcont ? "" : " (PTRACE_JOBCTL_CONT not supported: skipped)");
	return KSFT_PASS;
}
