// SPDX-License-Identifier: GPL-2.0-only
/*
 * jobctl_bench - what PTRACE_JOBCTL_CONT saves a tracer, and what the series
 * costs elsewhere.
 *
 * Runs in the ptj guest (tools/guest/steps/bench.sh); make bench boots the
 * patched and the vanilla kernel, collects the "PTJB" lines from the console
 * and summarizes them (see Documentation/benchmark.md).
 *
 *  1 inspect     read the registers of a group-stopped tracee and stay
 *                subscribed to its next job control change:
 *                  listen  INTERRUPT + wait + GETREGSET + LISTEN
 *                  jcont   GETREGSET (the tracee stays PTRACE_JOBCTL_CONT'ed)
 *                  floor   GETREGSET on a tracee in its stop, not subscribed
 *  2 interrupt   INTERRUPT + wait + re-subscribe (LISTEN or JOBCTL_CONT)
 *  3 notify      kill(SIGCONT) -> the tracer's wait(2) returns, tracee
 *                subscribed with LISTEN or JOBCTL_CONT
 *  4 spurious    ptrace stops that a SIGCONT to a running seized tracee,
 *                never stopped, causes before its own signal-delivery-stop
 *  5 elsewhere   signal round trips, SIGSTOP/SIGCONT cycle of an untraced
 *                4-thread process, seize/interrupt/wait/detach,
 *                INTERRUPT + wait + CONT of a seized tracee sleeping in
 *                pause() or spinning on another CPU, PTRACE_SYSCALL entry
 *                and exit stops of a getppid() loop; controls: a null
 *                syscall and a user space loop
 *
 * The variants of items 1-3 run interleaved in blocks, in an order drawn
 * from the seed, so that a drift of the (TCG) guest's speed hits them alike.
 * On a kernel without PTRACE_JOBCTL_CONT (EIO) its variants are "n/a".
 *
 * Output: "PTJB <kind> key=value ..." lines, "#" comments and TAP lines
 * ("ok N bench: ...") for the guest verdict.  Every item runs under an
 * alarm(2) watchdog, so the benchmark never hangs: on expiry it kills its
 * children and exits 3.
 */

#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/ptrace.h>

/* sys_ptrace(), status_str(), ctxt_switches() and the newer requests: shared
 * with the kselftests */
#include "jobctl.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_CHILDREN	8
#define MAX_VARIANTS	3
#define NR_THREADS	4	/* threads of the untraced process of item 5 */
#define NR_QUANTILES	101	/* CDF points printed per variant: 0..100 % */
#define WARMUP		20	/* untimed operations before a variant's first block */

static struct {
	unsigned int seed;
	int rep;
	double scale;
	int blocks;
	int item_timeout;
	char items[16];
	char place[64];		/* placements, comma separated: cpuN, any */
} opt = {
	.seed = 1,
	.rep = 0,
	.scale = 1.0,
	.blocks = 10,
	.item_timeout = 90,
	.items = "12345",
	.place = "cpu0,any",
};

static pid_t children[MAX_CHILDREN];
static int cur_item, cur_nr;	/* also read by the watchdog */
static const char *cur_place = "any";	/* where the item runs: cpuN or any */
static unsigned long nr_syscalls;	/* made through xptrace/xwait/xkill */
static unsigned long timed_syscalls;	/* of them, between T_BEGIN and T_END */
static int have_jcont = -1;		/* PTRACE_JOBCTL_CONT supported? */
static uint64_t rng_state;

/* ---- small helpers ---------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* xorshift64*: the order of the variants, reproducible from the seed */
static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ULL) >> 32;
}

static int iters(int base)
{
	int n = (int)(base * opt.scale + 0.5);

	return n < opt.blocks ? opt.blocks : n;
}

static long xptrace(long req, pid_t pid, unsigned long addr, unsigned long data)
{
	nr_syscalls++;
	return sys_ptrace(req, pid, addr, data);
}

/*
 * Read the tracee's general registers the way a debugger does on every
 * architecture (PTRACE_GETREGSET, NT_PRSTATUS): the inspection that items 1
 * and 2 time.  The buffer is larger than any architecture's set.
 */
static long get_regs(pid_t pid)
{
	unsigned long regs[64];
	struct iovec iov = { .iov_base = regs, .iov_len = sizeof(regs) };

	return xptrace(PTRACE_GETREGSET, pid, NT_PRSTATUS, (unsigned long)&iov);
}

static pid_t xwait(pid_t pid, int *status, int options)
{
	pid_t ret;

	nr_syscalls++;
	do {
		ret = waitpid(pid, status, options);
	} while (ret < 0 && errno == EINTR);
	return ret;
}

static int xkill(pid_t pid, int sig)
{
	nr_syscalls++;
	return kill(pid, sig);
}

static void add_child(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_CHILDREN; i++) {
		if (!children[i]) {
			children[i] = pid;
			return;
		}
	}
}

/* SIGKILL and reap every child of the current item */
static void kill_children(void)
{
	int i, status;

	for (i = 0; i < MAX_CHILDREN; i++) {
		if (!children[i])
			continue;
		kill(children[i], SIGKILL);
		while (waitpid(children[i], &status, __WALL) == children[i] &&
		       !WIFEXITED(status) && !WIFSIGNALED(status))
			;
		children[i] = 0;
	}
}

static void put_str(const char *s)
{
	ssize_t ret = write(STDOUT_FILENO, s, strlen(s));

	(void)ret;
}

static void on_alarm(int sig)
{
	char buf[128];
	int i;

	(void)sig;
	for (i = 0; i < MAX_CHILDREN; i++)
		if (children[i])
			kill(children[i], SIGKILL);
	snprintf(buf, sizeof(buf),
		 "PTJB error item=%d place=%s msg=watchdog_%ds_expired\nnot ok %d bench: item %d (%s): watchdog expired\n",
		 cur_item, cur_place, opt.item_timeout, cur_nr, cur_item,
		 cur_place);
	put_str(buf);
	_exit(3);
}

/* status_str() as one word, for the msg= of a "PTJB error" line */
static const char *status_word(pid_t ret, int status)
{
	static char buf[96];
	char *p;

	status_str(ret, status, buf, sizeof(buf));
	for (p = buf; *p; p++)
		if (*p == ' ')
			*p = '_';
	return buf;
}

/* time an operation and count its syscalls */
struct tmark {
	uint64_t t0;
	unsigned long k0;
};

static inline void t_begin(struct tmark *m)
{
	m->k0 = nr_syscalls;
	m->t0 = now_ns();
}

static inline void t_end(struct tmark *m, uint64_t *dt)
{
	*dt = now_ns() - m->t0;
	timed_syscalls += nr_syscalls - m->k0;
}

#define FAIL(fmt, ...) do {						\
	printf("PTJB error item=%d place=%s msg=" fmt "\n", cur_item,	\
	       cur_place, ##__VA_ARGS__);					\
	return -1;							\
} while (0)

/* wait for the ptrace stop (@sig, @event) of @pid; 0 or -1 */
static int expect_stop(pid_t pid, int sig, int event, const char *what)
{
	int status = 0;
	pid_t ret = xwait(pid, &status, __WALL);

	if (ret != pid || !WIFSTOPPED(status) || WSTOPSIG(status) != sig ||
	    (status >> 16) != event)
		FAIL("%s:_expected_sig%d_event%d,_got_%s", what, sig, event,
		     status_word(ret, status));
	return 0;
}

static long own_ctxt_switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		return -1;
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

static void settle(void)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* ---- statistics and output ------------------------------------------- */

struct samples {
	uint64_t *v;
	size_t n, cap;
};

static int samples_init(struct samples *s, size_t cap)
{
	s->v = calloc(cap ? cap : 1, sizeof(*s->v));
	s->n = 0;
	s->cap = cap;
	return s->v ? 0 : -1;
}

static void samples_add(struct samples *s, uint64_t v)
{
	if (s->n < s->cap)
		s->v[s->n++] = v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* nearest-rank quantile of sorted samples, @q in [0, 1] */
static uint64_t quantile(const struct samples *s, double q)
{
	size_t i = (size_t)(q * (s->n - 1) + 0.5);

	return s->v[i < s->n ? i : s->n - 1];
}

/*
 * One "PTJB result" line (times in ns) and one "PTJB cdf" line, the
 * quantiles 0, 1, ..., 100 %.  @extra: further key=value pairs.
 */
static void report(const char *metric, const char *variant,
		   struct samples *s, const char *extra)
{
	double sum = 0;
	size_t i;
	int q;

	if (!s->n) {
		printf("PTJB error item=%d place=%s msg=no_samples_for_%s/%s\n",
		       cur_item, cur_place, metric, variant);
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	printf("PTJB result item=%d place=%s metric=%s variant=%s n=%zu median_ns=%llu p99_ns=%llu p1_ns=%llu p25_ns=%llu p75_ns=%llu min_ns=%llu max_ns=%llu mean_ns=%.0f%s%s\n",
	       cur_item, cur_place, metric, variant, s->n,
	       (unsigned long long)quantile(s, 0.5),
	       (unsigned long long)quantile(s, 0.99),
	       (unsigned long long)quantile(s, 0.01),
	       (unsigned long long)quantile(s, 0.25),
	       (unsigned long long)quantile(s, 0.75),
	       (unsigned long long)s->v[0],
	       (unsigned long long)s->v[s->n - 1], sum / s->n,
	       extra ? " " : "", extra ? extra : "");
	printf("PTJB cdf item=%d place=%s metric=%s variant=%s q=", cur_item,
	       cur_place, metric, variant);
	for (q = 0; q < NR_QUANTILES; q++)
		printf("%s%llu", q ? "," : "",
		       (unsigned long long)quantile(s, q / 100.0));
	printf("\n");
	fflush(stdout);
}

static void report_na(const char *metric, const char *variant,
		      const char *why)
{
	printf("PTJB na item=%d place=%s metric=%s variant=%s reason=%s\n",
	       cur_item, cur_place, metric, variant, why);
}

/* ---- tracees ---------------------------------------------------------- */

enum loop { L_PAUSE, L_SPIN, L_GETPPID };

/*
 * Fork a child that loops forever: sleeping in pause(), spinning in user
 * space (bumping *@spins, shared with the parent) or calling getppid().
 */
static pid_t spawn_loop(enum loop loop, unsigned long *spins)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;) {
			if (loop == L_PAUSE)
				pause();
			else if (loop == L_SPIN)
				__atomic_store_n(spins, *spins + 1,
						 __ATOMIC_RELAXED);
			else
				syscall(SYS_getppid);
		}
	}
	if (pid > 0)
		add_child(pid);
	return pid;
}

static pid_t spawn_sleeper(void)
{
	return spawn_loop(L_PAUSE, NULL);
}

enum tstate { T_STOPPED, T_LISTEN, T_JCONT };

static int probe_jcont(pid_t pid);

/*
 * Fork a sleeper, seize it and put it into a group stop: it ends in its
 * PTRACE_EVENT_STOP trap (WSTOPSIG == SIGSTOP), reported, not subscribed.
 */
static pid_t spawn_group_stopped(void)
{
	pid_t pid = spawn_sleeper();

	if (pid < 0)
		FAIL("fork:_%s", strerror(errno));
	if (xptrace(PTRACE_SEIZE, pid, 0, 0))
		FAIL("PTRACE_SEIZE:_%s", strerror(errno));
	if (xkill(pid, SIGSTOP))
		FAIL("kill:_%s", strerror(errno));
	if (expect_stop(pid, SIGSTOP, 0, "SIGSTOP_delivery"))
		return -1;
	if (xptrace(PTRACE_CONT, pid, 0, SIGSTOP))
		FAIL("PTRACE_CONT:_%s", strerror(errno));
	if (expect_stop(pid, SIGSTOP, PTRACE_EVENT_STOP, "group_stop"))
		return -1;
	if (have_jcont < 0) {
		have_jcont = probe_jcont(pid);
		if (have_jcont < 0)
			return -1;
		printf("PTJB config item=%d place=%s jobctl_cont=%s\n",
		       cur_item, cur_place, have_jcont ? "yes" : "no");
	}
	return pid;
}

static int subscribe(pid_t pid, enum tstate to)
{
	long req = to == T_LISTEN ? PTRACE_LISTEN : PTRACE_JOBCTL_CONT;

	if (to == T_STOPPED)
		return 0;
	if (xptrace(req, pid, 0, 0))
		FAIL("%s:_%s", to == T_LISTEN ? "PTRACE_LISTEN" :
		     "PTRACE_JOBCTL_CONT", strerror(errno));
	return 0;
}

/* from any state of a group-stopped tracee to @to */
static int set_state(pid_t pid, enum tstate *cur, enum tstate to)
{
	if (*cur == to)
		return 0;
	if (*cur != T_STOPPED) {
		if (xptrace(PTRACE_INTERRUPT, pid, 0, 0))
			FAIL("PTRACE_INTERRUPT:_%s", strerror(errno));
		if (expect_stop(pid, SIGSTOP, PTRACE_EVENT_STOP, "interrupt"))
			return -1;
		/* waits until the tracee is off the CPU (wait_task_inactive) */
		if (get_regs(pid))
			FAIL("PTRACE_GETREGSET:_%s", strerror(errno));
		*cur = T_STOPPED;
	}
	if (subscribe(pid, to))
		return -1;
	*cur = to;
	return 0;
}

/*
 * Does the kernel have PTRACE_JOBCTL_CONT?  @pid is in its
 * PTRACE_EVENT_STOP trap: valid there, EIO on kernels without it.
 */
static int probe_jcont(pid_t pid)
{
	enum tstate cur = T_JCONT;

	if (!xptrace(PTRACE_JOBCTL_CONT, pid, 0, 0))
		return set_state(pid, &cur, T_STOPPED) ? -1 : 1;
	if (errno == EIO)
		return 0;
	FAIL("PTRACE_JOBCTL_CONT_probe:_%s", strerror(errno));
}

/* ---- items 1-3: variants interleaved in blocks ------------------------ */

struct variant {
	const char *name;
	enum tstate state;	/* before and after each operation */
	bool jcont;		/* needs PTRACE_JOBCTL_CONT */
	int (*op)(pid_t pid, const struct variant *v, uint64_t *dt);
	unsigned long *spins;	/* item 5: a spinning tracee's count */
	struct samples s;
	uint64_t *block_median;	/* per block, for paired comparisons */
	unsigned long syscalls;
	long tracee_cs, tracer_cs;
};

static uint64_t median_of(const uint64_t *v, size_t n)
{
	struct samples t;
	uint64_t r;

	if (!n || samples_init(&t, n))
		return 0;
	memcpy(t.v, v, n * sizeof(*v));
	t.n = n;
	qsort(t.v, n, sizeof(*t.v), cmp_u64);
	r = quantile(&t, 0.5);
	free(t.v);
	return r;
}

static int op_getregs(pid_t pid, const struct variant *v, uint64_t *dt)
{
	struct tmark tm;

	t_begin(&tm);
	if (get_regs(pid))
		FAIL("PTRACE_GETREGSET:_%s", strerror(errno));
	t_end(&tm, dt);
	return 0;
}

static int op_listen_inspect(pid_t pid, const struct variant *v, uint64_t *dt)
{
	struct tmark tm;

	t_begin(&tm);
	if (xptrace(PTRACE_INTERRUPT, pid, 0, 0))
		FAIL("PTRACE_INTERRUPT:_%s", strerror(errno));
	if (expect_stop(pid, SIGSTOP, PTRACE_EVENT_STOP, "interrupt"))
		return -1;
	if (get_regs(pid))
		FAIL("PTRACE_GETREGSET:_%s", strerror(errno));
	if (xptrace(PTRACE_LISTEN, pid, 0, 0))
		FAIL("PTRACE_LISTEN:_%s", strerror(errno));
	t_end(&tm, dt);
	return 0;
}

/* INTERRUPT + wait + re-subscribe with the variant's request */
static int op_interrupt(pid_t pid, const struct variant *v, uint64_t *dt)
{
	struct tmark tm;

	t_begin(&tm);
	if (xptrace(PTRACE_INTERRUPT, pid, 0, 0))
		FAIL("PTRACE_INTERRUPT:_%s", strerror(errno));
	if (expect_stop(pid, SIGSTOP, PTRACE_EVENT_STOP, "interrupt"))
		return -1;
	if (subscribe(pid, v->state))
		return -1;
	t_end(&tm, dt);
	return 0;
}

/*
 * Time kill(SIGCONT) -> wait(2) returns the notification trap, then (not
 * timed) stop the group again and re-subscribe: SIGSTOP (it flushes the
 * pending SIGCONT), resume to its signal-delivery-stop, resume with it into
 * the group stop, subscribe.
 */
static int op_notify(pid_t pid, const struct variant *v, uint64_t *dt)
{
	struct tmark tm;

	t_begin(&tm);
	if (xkill(pid, SIGCONT))
		FAIL("kill:_%s", strerror(errno));
	if (expect_stop(pid, SIGTRAP, PTRACE_EVENT_STOP, "SIGCONT_notification"))
		return -1;
	t_end(&tm, dt);

	if (xkill(pid, SIGSTOP))
		FAIL("kill:_%s", strerror(errno));
	if (xptrace(PTRACE_CONT, pid, 0, 0))
		FAIL("PTRACE_CONT:_%s", strerror(errno));
	if (expect_stop(pid, SIGSTOP, 0, "SIGSTOP_delivery"))
		return -1;
	if (xptrace(PTRACE_CONT, pid, 0, SIGSTOP))
		FAIL("PTRACE_CONT:_%s", strerror(errno));
	if (expect_stop(pid, SIGSTOP, PTRACE_EVENT_STOP, "group_stop"))
		return -1;
	return subscribe(pid, v->state);
}

static void shuffle(int *a, int n)
{
	int i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

/*
 * Run @n operations of every variant, in opt.blocks blocks; within a block
 * the variants run one after the other in a random order.  Counts the
 * syscalls of the timed operations and the context switches of the tracee
 * and of the tracer over each block.
 */
static int run_blocks(pid_t pid, struct variant *vs, int nv, int n,
		      bool count_cs)
{
	enum tstate cur = T_STOPPED;
	int order[MAX_VARIANTS];
	int b, k, i;

	for (k = 0; k < nv; k++) {
		order[k] = k;
		vs[k].block_median = calloc(opt.blocks, sizeof(uint64_t));
		if (samples_init(&vs[k].s, n) || !vs[k].block_median)
			FAIL("out_of_memory");
	}
	for (b = 0; b < opt.blocks; b++) {
		int per = n / opt.blocks + (b < n % opt.blocks);

		shuffle(order, nv);
		for (k = 0; k < nv; k++) {
			struct variant *v = &vs[order[k]];
			unsigned long sc0;
			long c0 = 0, r0 = 0;
			size_t first;
			uint64_t dt;

			if (v->jcont && have_jcont != 1)
				continue;
			if (set_state(pid, &cur, v->state))
				return -1;
			for (i = 0; b == 0 && i < WARMUP; i++)
				if (v->op(pid, v, &dt))
					return -1;
			settle();
			if (count_cs) {
				c0 = ctxt_switches(pid, pid);
				r0 = own_ctxt_switches();
			}
			sc0 = timed_syscalls;
			first = v->s.n;
			for (i = 0; i < per; i++) {
				if (v->op(pid, v, &dt))
					return -1;
				samples_add(&v->s, dt);
			}
			v->block_median[b] = median_of(v->s.v + first,
						       v->s.n - first);
			v->syscalls += timed_syscalls - sc0;
			if (count_cs) {
				v->tracee_cs += ctxt_switches(pid, pid) - c0;
				v->tracer_cs += own_ctxt_switches() - r0;
			}
		}
	}
	return 0;
}

/* the counts of @v per timed operation, as key=value pairs for report() */
static void counts_str(char *buf, size_t size, const struct variant *v,
		       bool count_cs)
{
	double ops = v->s.n ? v->s.n : 1;

	if (count_cs)
		snprintf(buf, size,
			 "syscalls_per_op=%.3f tracee_cs_per_op=%.3f tracer_cs_per_op=%.3f",
			 v->syscalls / ops, v->tracee_cs / ops,
			 v->tracer_cs / ops);
	else
		snprintf(buf, size, "syscalls_per_op=%.3f", v->syscalls / ops);
}

static int report_variants(const char *metric, struct variant *vs, int nv,
			   bool count_cs)
{
	char extra[160];
	int k, b;

	for (k = 0; k < nv; k++) {
		struct variant *v = &vs[k];

		if (v->jcont && have_jcont != 1) {
			report_na(metric, v->name, "no_PTRACE_JOBCTL_CONT_(EIO)");
			continue;
		}
		counts_str(extra, sizeof(extra), v, count_cs);
		printf("PTJB blocks item=%d place=%s metric=%s variant=%s median_ns=",
		       cur_item, cur_place, metric, v->name);
		for (b = 0; b < opt.blocks; b++)
			printf("%s%llu", b ? "," : "",
			       (unsigned long long)v->block_median[b]);
		printf("\n");
		report(metric, v->name, &v->s, extra);
		free(v->s.v);
		free(v->block_median);
	}
	return 0;
}

static int item_inspect(void)
{
	struct variant vs[] = {
		{ .name = "floor", .state = T_STOPPED, .op = op_getregs },
		{ .name = "jcont", .state = T_JCONT, .jcont = true,
		  .op = op_getregs },
		{ .name = "listen", .state = T_LISTEN, .op = op_listen_inspect },
	};
	pid_t pid = spawn_group_stopped();

	if (pid < 0)
		return -1;
	if (run_blocks(pid, vs, 3, iters(2000), true))
		return -1;
	return report_variants("inspect", vs, 3, true);
}

static int item_interrupt(void)
{
	struct variant vs[] = {
		{ .name = "listen", .state = T_LISTEN, .op = op_interrupt },
		{ .name = "jcont", .state = T_JCONT, .jcont = true,
		  .op = op_interrupt },
	};
	pid_t pid = spawn_group_stopped();

	if (pid < 0)
		return -1;
	if (run_blocks(pid, vs, 2, iters(2000), true))
		return -1;
	return report_variants("interrupt", vs, 2, true);
}

static int item_notify(void)
{
	struct variant vs[] = {
		{ .name = "listen", .state = T_LISTEN, .op = op_notify },
		{ .name = "jcont", .state = T_JCONT, .jcont = true,
		  .op = op_notify },
	};
	pid_t pid = spawn_group_stopped();

	if (pid < 0)
		return -1;
	if (run_blocks(pid, vs, 2, iters(1000), false))
		return -1;
	return report_variants("notify", vs, 2, false);
}

/* ---- item 4: ptrace stops per SIGCONT to a never-stopped tracee -------- */

static int item_spurious(void)
{
	int n = iters(300), i, status = 0, traps = 0, other = 0;
	struct samples s;
	char extra[128];
	pid_t pid, ret;

	if (samples_init(&s, n))
		FAIL("out_of_memory");
	pid = spawn_sleeper();
	if (pid < 0)
		FAIL("fork:_%s", strerror(errno));
	if (xptrace(PTRACE_SEIZE, pid, 0, 0))
		FAIL("PTRACE_SEIZE:_%s", strerror(errno));
	settle();
	for (i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		if (xkill(pid, SIGCONT))
			FAIL("kill:_%s", strerror(errno));
		for (;;) {
			ret = xwait(pid, &status, __WALL);
			if (ret != pid || !WIFSTOPPED(status))
				FAIL("SIGCONT:_%s", status_word(ret, status));
			if (WSTOPSIG(status) == SIGCONT && !(status >> 16))
				break;	/* the SIGCONT's signal-delivery-stop */
			if ((status >> 16) == PTRACE_EVENT_STOP)
				traps++;
			else
				other++;
			if (xptrace(PTRACE_CONT, pid, 0, 0))
				FAIL("PTRACE_CONT:_%s", strerror(errno));
		}
		/* suppress it: SIGCONT's default action was taken on sending */
		if (xptrace(PTRACE_CONT, pid, 0, 0))
			FAIL("PTRACE_CONT:_%s", strerror(errno));
		samples_add(&s, now_ns() - t0);
	}
	printf("PTJB count item=4 place=%s metric=spurious_stops variant=sigcont n=%d event_stops=%d other_stops=%d stops_per_sigcont=%.3f\n",
	       cur_place, n, traps, other, (double)(traps + other) / n);
	snprintf(extra, sizeof(extra), "stops_per_sigcont=%.3f",
		 (double)(traps + other) / n);
	report("sigcont_round", "sigcont", &s, extra);
	free(s.v);
	return 0;
}

/* ---- item 5: the paths the series must not slow down ------------------ */

/* The time of 1000 steps of a user space loop: the guest's speed. */
static uint64_t user_loop(void)
{
	static volatile unsigned int x = 1;
	uint64_t t0 = now_ns();
	int j;

	for (j = 0; j < 1000; j++)
		x = x * 1103515245u + 12345u;
	return now_ns() - t0;
}

/*
 * The guest's speed while a path of this item runs.  Under TCG it changes
 * by up to 2x within one boot, for reasons outside the guest (the host's
 * scheduling of QEMU's threads), at a pace of seconds: the controls, timed
 * once per boot, do not see it.  So each path also times the user space
 * loop after each of its operations (outside the operation's time) and
 * reports the loop's times as variant VARIANT__speed next to its own: the
 * ratio of the two medians is the path's cost in units of the guest's
 * speed of the moment, which the analysis compares across boots.
 */
static struct samples speed;

static int speed_init(int n)
{
	return samples_init(&speed, n);
}

static void speed_probe(void)
{
	samples_add(&speed, user_loop());
}

static void speed_report(const char *metric, const char *variant)
{
	char name[96];

	snprintf(name, sizeof(name), "%s__speed", variant);
	report(metric, name, &speed, NULL);
}

static void speed_done(void)
{
	free(speed.v);
	speed.v = NULL;
}

/*
 * Two controls, which no patch of the series touches: a null syscall (kernel
 * entry and exit) and a pure user space loop (the guest's speed).  They tell
 * a difference between the boots of two kernels (host load, QEMU) from one
 * in the measured paths.
 */
static int controls(void)
{
	int n = iters(2000), i;
	struct samples s, u;

	if (samples_init(&s, n) || samples_init(&u, n))
		FAIL("out_of_memory");
	for (i = 0; i < n + WARMUP; i++) {
		uint64_t t0 = now_ns(), t1;

		syscall(SYS_getppid);
		t1 = now_ns();
		if (i < WARMUP)
			continue;
		samples_add(&s, t1 - t0);
		samples_add(&u, user_loop());
	}
	report("null_syscall", "getppid", &s, NULL);
	report("user_loop", "1000_lcg_steps", &u, NULL);
	free(s.v);
	free(u.v);
	return 0;
}

static int sig_self(void)
{
	struct timespec tmo = { 5, 0 };
	int n = iters(2000), i;
	struct samples s;
	sigset_t set;

	if (samples_init(&s, n) || speed_init(n))
		FAIL("out_of_memory");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n + WARMUP; i++) {
		uint64_t t0 = now_ns();

		if (kill(getpid(), SIGUSR1))
			FAIL("kill:_%s", strerror(errno));
		if (sigtimedwait(&set, NULL, &tmo) != SIGUSR1)
			FAIL("sigtimedwait:_%s", strerror(errno));
		if (i < WARMUP)
			continue;
		samples_add(&s, now_ns() - t0);
		speed_probe();
	}
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	report("sig_self", "kill_sigtimedwait", &s, NULL);
	speed_report("sig_self", "kill_sigtimedwait");
	speed_done();
	free(s.v);
	return 0;
}

static int sig_pingpong(void)
{
	struct timespec tmo = { 5, 0 };
	int n = iters(1000), i;
	sigset_t set, s1, s2;
	struct samples s;
	pid_t pid;

	if (samples_init(&s, n) || speed_init(n))
		FAIL("out_of_memory");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigemptyset(&s1);
	sigaddset(&s1, SIGUSR1);
	sigemptyset(&s2);
	sigaddset(&s2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid = fork();
	if (pid == 0) {
		pid_t parent = getppid();

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			if (sigwaitinfo(&s1, NULL) == SIGUSR1)
				kill(parent, SIGUSR2);
	}
	if (pid < 0)
		FAIL("fork:_%s", strerror(errno));
	add_child(pid);
	for (i = 0; i < n + WARMUP; i++) {
		uint64_t t0 = now_ns();

		if (kill(pid, SIGUSR1))
			FAIL("kill:_%s", strerror(errno));
		if (sigtimedwait(&s2, NULL, &tmo) != SIGUSR2)
			FAIL("sigtimedwait:_%s", strerror(errno));
		if (i < WARMUP)
			continue;
		samples_add(&s, now_ns() - t0);
		speed_probe();
	}
	kill_children();
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	report("sig_pingpong", "kill_sigtimedwait", &s, NULL);
	speed_report("sig_pingpong", "kill_sigtimedwait");
	speed_done();
	free(s.v);
	return 0;
}

static void *pause_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* SIGSTOP/SIGCONT of an untraced NR_THREADS-thread child, seen by waitpid */
static int gstop_cycle(void)
{
	struct samples s, s_stop, s_cont;
	int n = iters(300), i, status, fds[2];
	char c;
	pid_t pid, ret;

	if (samples_init(&s, n) || samples_init(&s_stop, n) ||
	    samples_init(&s_cont, n) || speed_init(n))
		FAIL("out_of_memory");
	if (pipe(fds))
		FAIL("pipe:_%s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		pthread_t th;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (i = 1; i < NR_THREADS; i++)
			if (pthread_create(&th, NULL, pause_thread, NULL))
				_exit(1);
		if (write(fds[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (pid < 0)
		FAIL("fork:_%s", strerror(errno));
	add_child(pid);
	close(fds[1]);
	if (read(fds[0], &c, 1) != 1)
		FAIL("child_with_%d_threads_did_not_start", NR_THREADS);
	close(fds[0]);
	settle();
	for (i = 0; i < n + WARMUP; i++) {
		uint64_t t0 = now_ns(), t1;

		if (kill(pid, SIGSTOP))
			FAIL("kill:_%s", strerror(errno));
		ret = xwait(pid, &status, WUNTRACED);
		if (ret != pid || !WIFSTOPPED(status))
			FAIL("SIGSTOP:_%s", status_word(ret, status));
		t1 = now_ns();
		if (kill(pid, SIGCONT))
			FAIL("kill:_%s", strerror(errno));
		ret = xwait(pid, &status, WCONTINUED);
		if (ret != pid || !WIFCONTINUED(status))
			FAIL("SIGCONT:_%s", status_word(ret, status));
		if (i < WARMUP)
			continue;
		samples_add(&s, now_ns() - t0);
		samples_add(&s_stop, t1 - t0);
		samples_add(&s_cont, now_ns() - t1);
		speed_probe();
	}
	kill_children();
	report("gstop_cycle", "4_threads", &s, NULL);
	report("gstop_stop", "4_threads", &s_stop, NULL);
	report("gstop_cont", "4_threads", &s_cont, NULL);
	speed_report("gstop_cycle", "4_threads");
	speed_report("gstop_stop", "4_threads");
	speed_report("gstop_cont", "4_threads");
	speed_done();
	free(s.v);
	free(s_stop.v);
	free(s_cont.v);
	return 0;
}

static int seize_cycle(void)
{
	int n = iters(500), i;
	struct samples s;
	pid_t pid;

	if (samples_init(&s, n) || speed_init(n))
		FAIL("out_of_memory");
	pid = spawn_sleeper();
	if (pid < 0)
		FAIL("fork:_%s", strerror(errno));
	settle();
	for (i = 0; i < n + WARMUP; i++) {
		uint64_t t0 = now_ns();

		if (xptrace(PTRACE_SEIZE, pid, 0, 0))
			FAIL("PTRACE_SEIZE:_%s", strerror(errno));
		if (xptrace(PTRACE_INTERRUPT, pid, 0, 0))
			FAIL("PTRACE_INTERRUPT:_%s", strerror(errno));
		if (expect_stop(pid, SIGTRAP, PTRACE_EVENT_STOP, "interrupt"))
			return -1;
		if (xptrace(DETACH_REQUEST, pid, 0, 0))
			FAIL("detach:_%s", strerror(errno));
		if (i < WARMUP)
			continue;
		samples_add(&s, now_ns() - t0);
		speed_probe();
	}
	kill_children();
	report("seize_cycle", "seize_interrupt_wait_detach", &s, NULL);
	speed_report("seize_cycle", "seize_interrupt_wait_detach");
	speed_done();
	free(s.v);
	return 0;
}

/*
 * The ptrace paths of a seized tracee that is not stopped, with the counts
 * of items 1-3: run @v's operation WARMUP times untimed, then @n times
 * timed, and report it with its syscalls per operation (timed part) and
 * the context switches of the tracee and of the tracer per operation (over
 * the whole loop, so also an operation's untimed tail).
 */
static int run_counted(const char *metric, pid_t pid, struct variant *v,
		       int n)
{
	char extra[160];
	unsigned long sc0;
	long c0, r0;
	uint64_t dt;
	int i;

	if (samples_init(&v->s, n) || speed_init(n))
		FAIL("out_of_memory");
	for (i = 0; i < WARMUP; i++)
		if (v->op(pid, v, &dt))
			return -1;
	c0 = ctxt_switches(pid, pid);
	r0 = own_ctxt_switches();
	sc0 = timed_syscalls;
	for (i = 0; i < n; i++) {
		if (v->op(pid, v, &dt))
			return -1;
		samples_add(&v->s, dt);
		speed_probe();
	}
	v->syscalls = timed_syscalls - sc0;
	v->tracee_cs = ctxt_switches(pid, pid) - c0;
	v->tracer_cs = own_ctxt_switches() - r0;
	kill_children();
	counts_str(extra, sizeof(extra), v, true);
	report(metric, v->name, &v->s, extra);
	speed_report(metric, v->name);
	speed_done();
	free(v->s.v);
	return 0;
}

/* the state letter of @pid in /proc/PID/stat (R, S, t, ...), 0 if unknown */
static char task_state(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Untimed: until the resumed tracee sleeps in pause() again (@spins NULL)
 * or spins again (*@spins moves).
 */
static int wait_running(pid_t pid, unsigned long *spins)
{
	unsigned long c0 = spins ? __atomic_load_n(spins, __ATOMIC_RELAXED) : 0;
	uint64_t end = now_ns() + 5000000000ULL;

	while (spins ? __atomic_load_n(spins, __ATOMIC_RELAXED) == c0 :
	       task_state(pid) != 'S') {
		if (now_ns() > end)
			FAIL("tracee_not_%s_5s_after_PTRACE_CONT",
			     spins ? "spinning" : "sleeping");
		sched_yield();
	}
	return 0;
}

/* INTERRUPT + wait + CONT of a running tracee; then, untimed, it runs again */
static int op_interrupt_cont(pid_t pid, const struct variant *v,
			     uint64_t *dt)
{
	struct tmark tm;

	t_begin(&tm);
	if (xptrace(PTRACE_INTERRUPT, pid, 0, 0))
		FAIL("PTRACE_INTERRUPT:_%s", strerror(errno));
	if (expect_stop(pid, SIGTRAP, PTRACE_EVENT_STOP, "interrupt"))
		return -1;
	if (xptrace(PTRACE_CONT, pid, 0, 0))
		FAIL("PTRACE_CONT:_%s", strerror(errno));
	t_end(&tm, dt);
	return wait_running(pid, v->spins);
}

/* a CPU outside this process's affinity mask, -1 if there is none */
static int other_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (cpu = 0; cpu < n && cpu < CPU_SETSIZE; cpu++)
		if (!CPU_ISSET(cpu, &set))
			return cpu;
	return -1;
}

/*
 * PTRACE_INTERRUPT + wait + PTRACE_CONT of a seized tracee that is not
 * stopped.  @spin false: it sleeps in pause() (a tracee blocked in a
 * syscall, as strace -p or CRIU mostly find it: the INTERRUPT wakes it);
 * @spin true: it spins in user space on a CPU the tracer does not run on
 * (the INTERRUPT kicks it with an IPI).  n/a when there is no such CPU.
 */
static int interrupt_running(bool spin)
{
	const char *metric = spin ? "interrupt_spinner" : "interrupt_sleeper";
	struct variant v = { .name = "interrupt_wait_cont",
			     .op = op_interrupt_cont };
	cpu_set_t set;
	int cpu = -1;
	pid_t pid;

	if (spin) {
		cpu = other_cpu();
		if (cpu < 0) {
			report_na(metric, v.name, "no_cpu_besides_the_tracer's");
			return 0;
		}
		v.spins = mmap(NULL, sizeof(*v.spins), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (v.spins == MAP_FAILED)
			FAIL("mmap:_%s", strerror(errno));
	}
	pid = spawn_loop(spin ? L_SPIN : L_PAUSE, v.spins);
	if (pid < 0)
		FAIL("fork:_%s", strerror(errno));
	if (spin) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(pid, sizeof(set), &set))
			FAIL("sched_setaffinity:_%s", strerror(errno));
	}
	if (xptrace(PTRACE_SEIZE, pid, 0, 0))
		FAIL("PTRACE_SEIZE:_%s", strerror(errno));
	settle();
	if (wait_running(pid, v.spins) ||
	    run_counted(metric, pid, &v, iters(1000)))
		return -1;
	if (spin)
		munmap(v.spins, sizeof(*v.spins));
	return 0;
}

/* strace's loop: PTRACE_SYSCALL + wait to the exit stop, again to the entry */
static int op_syscall_stops(pid_t pid, const struct variant *v, uint64_t *dt)
{
	struct tmark tm;
	int i;

	t_begin(&tm);
	for (i = 0; i < 2; i++) {
		if (xptrace(PTRACE_SYSCALL, pid, 0, 0))
			FAIL("PTRACE_SYSCALL:_%s", strerror(errno));
		if (expect_stop(pid, SIGTRAP | 0x80, 0,
				i ? "syscall_entry" : "syscall_exit"))
			return -1;
	}
	t_end(&tm, dt);
	return 0;
}

/* the entry and exit stops of one getppid() of a seized tracee's loop */
static int syscall_stops(void)
{
	struct variant v = { .name = "getppid_entry_exit",
			     .op = op_syscall_stops };
	pid_t pid = spawn_loop(L_GETPPID, NULL);

	if (pid < 0)
		FAIL("fork:_%s", strerror(errno));
	if (xptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACESYSGOOD))
		FAIL("PTRACE_SEIZE:_%s", strerror(errno));
	if (xptrace(PTRACE_INTERRUPT, pid, 0, 0))
		FAIL("PTRACE_INTERRUPT:_%s", strerror(errno));
	if (expect_stop(pid, SIGTRAP, PTRACE_EVENT_STOP, "interrupt"))
		return -1;
	/* the trap is on the way to user space: next comes a syscall entry */
	if (xptrace(PTRACE_SYSCALL, pid, 0, 0))
		FAIL("PTRACE_SYSCALL:_%s", strerror(errno));
	if (expect_stop(pid, SIGTRAP | 0x80, 0, "syscall_entry"))
		return -1;
	return run_counted("syscall_stops", pid, &v, iters(1000));
}

static int item_elsewhere(void)
{
	if (controls() || sig_self() || sig_pingpong() || gstop_cycle() ||
	    seize_cycle() || interrupt_running(false) || syscall_stops() ||
	    interrupt_running(true))
		return -1;
	return 0;
}

/* ---- main ------------------------------------------------------------- */

static void wait_clocksource(char *buf, size_t size)
{
	const char *path = "/sys/devices/system/clocksource/clocksource0/current_clocksource";
	int i;

	/* the TSC is refined and switched to ~1 s after boot: wait for it */
	for (i = 0; i < 200; i++) {
		FILE *f = fopen(path, "re");

		snprintf(buf, size, "unknown");
		if (f) {
			if (fgets(buf, size, f))
				buf[strcspn(buf, "\n")] = 0;
			fclose(f);
		}
		if (!strcmp(buf, "tsc"))
			return;
		usleep(100 * 1000);
	}
}

static uint64_t clock_overhead(void)
{
	struct samples s;
	uint64_t r;
	int i;

	if (samples_init(&s, 1000))
		return 0;
	for (i = 0; i < 1000; i++) {
		uint64_t t0 = now_ns();

		samples_add(&s, now_ns() - t0);
	}
	qsort(s.v, s.n, sizeof(*s.v), cmp_u64);
	r = quantile(&s, 0.5);
	free(s.v);
	return r;
}

static void print_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--seed N] [--rep N] [--scale F] [--blocks N] [--timeout S] [--items 12345] [--place cpu0,any]\n",
		prog);
	exit(2);
}

static const struct item {
	char id;
	const char *name;
	int (*fn)(void);
} items[] = {
	{ '1', "inspect while subscribed (GETREGSET)", item_inspect },
	{ '2', "interrupt a subscribed tracee", item_interrupt },
	{ '3', "SIGCONT notification latency", item_notify },
	{ '4', "spurious stops of a SIGCONT to a running tracee", item_spurious },
	{ '5', "no cost elsewhere", item_elsewhere },
};

/* "cpuN": this process and its children on CPU N only; "any": no affinity */
static int set_place(const char *place)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	if (sscanf(place, "cpu%d", &cpu) == 1 && cpu >= 0 && cpu < CPU_SETSIZE) {
		CPU_SET(cpu, &set);
	} else if (!strcmp(place, "any")) {
		for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
			CPU_SET(cpu, &set);
	} else {
		printf("PTJB error item=0 place=%s msg=unknown_placement\n", place);
		return -1;
	}
	if (sched_setaffinity(0, sizeof(set), &set)) {
		printf("PTJB error item=0 place=%s msg=sched_setaffinity:_%s\n",
		       place, strerror(errno));
		return -1;
	}
	cur_place = place;
	return 0;
}

/* run one item under the watchdog; prints its TAP line; 1 if it failed */
static int run_item(const struct item *it, int nr)
{
	uint64_t t0 = now_ns();
	int rc;

	cur_item = it->id - '0';
	alarm(opt.item_timeout);
	rc = it->fn();
	alarm(0);
	kill_children();
	printf("PTJB time item=%d place=%s seconds=%.2f\n", cur_item,
	       cur_place, (now_ns() - t0) / 1e9);
	printf("%sok %d bench: item %d (%s): %s%s\n", rc ? "not " : "", nr,
	       cur_item, cur_place, it->name,
	       cur_item <= 3 && have_jcont == 0 ?
	       " # PTRACE_JOBCTL_CONT n/a (EIO)" : "");
	return !!rc;
}

int main(int argc, char **argv)
{
	char cs[64];
	struct utsname u;
	int i, failed = 0, nr = 0, pass;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			print_usage(argv[0]);
		if (!strcmp(a, "--seed"))
			opt.seed = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--rep"))
			opt.rep = atoi(v);
		else if (!strcmp(a, "--scale"))
			opt.scale = atof(v);
		else if (!strcmp(a, "--blocks"))
			opt.blocks = atoi(v);
		else if (!strcmp(a, "--timeout"))
			opt.item_timeout = atoi(v);
		else if (!strcmp(a, "--place"))
			snprintf(opt.place, sizeof(opt.place), "%s", v);
		else if (!strcmp(a, "--items"))
			snprintf(opt.items, sizeof(opt.items), "%s", v);
		else
			print_usage(argv[0]);
		i++;
	}
	if (opt.blocks < 1 || opt.scale <= 0 || opt.item_timeout < 1)
		print_usage(argv[0]);
	rng_state = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)opt.seed << 16) ^
		    (uint64_t)opt.rep;
	if (!rng_state)
		rng_state = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	signal(SIGCHLD, SIG_DFL);

	wait_clocksource(cs, sizeof(cs));
	uname(&u);
	printf("PTJB config seed=%u rep=%d scale=%g blocks=%d item_timeout_s=%d items=%s place=%s release=%s cpus=%ld clocksource=%s clock_overhead_ns=%llu\n",
	       opt.seed, opt.rep, opt.scale, opt.blocks, opt.item_timeout,
	       opt.items, opt.place, u.release,
	       sysconf(_SC_NPROCESSORS_ONLN), cs,
	       (unsigned long long)clock_overhead());
	printf("PTJB version %s\n", u.version);
	printf("# jobctl_bench: absolute times are inflated: the guest runs under QEMU TCG on a lockdep kernel; compare ratios\n");

	/* items 1-3 run in every placement, 4 and 5 in the first one only */
	for (pass = 0; pass < 2; pass++) {
		char list[sizeof(opt.place)], *tok, *save = NULL;
		int first = 1;

		snprintf(list, sizeof(list), "%s", opt.place);
		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save), first = 0) {
			for (k = 0; k < ARRAY_SIZE(items); k++) {
				if (!strchr(opt.items, items[k].id) ||
				    (!first && items[k].id > '3'))
					continue;
				if (!pass) {
					nr++;
					continue;
				}
				if (set_place(tok))
					return 1;
				failed += run_item(&items[k], ++cur_nr);
			}
		}
		if (!pass)
			printf("TAP version 13\n1..%d\n", nr);
	}
	printf("PTJB done failed=%d\n", failed);
	return failed ? 1 : 0;
}
