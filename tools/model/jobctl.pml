/*
 * tools/model/jobctl.pml: a Promela model of ptrace job control notification as the series
 * (v6) leaves it in kernel/signal.c and kernel/ptrace.c of Linux 7.3.4.  Documentation/model.md
 * says what it covers, what it abstracts away, the properties and the mutant switches.
 *
 * Every step names the kernel function it stands for and, in quotes or in C, the condition of
 * that function it models.  tools/model/citations lists those functions and conditions; the
 * check (tools/model/model.sh) fails when one no longer appears in the patched tree.
 *
 * Actors (one Promela process each):
 *   Thread(T0)  the seized tracee: user mode, get_signal(), do_signal_stop(), do_jobctl_trap(),
 *               ptrace_signal(), ptrace_stop() with the arch_ptrace_stop() window, exit.
 *   Thread(T1)  a second thread of the same thread group, never traced: it can start a group
 *               stop (do_signal_stop() with SIGSTOP) and stops in TASK_STOPPED.
 *   Tracer      up to MAXREQ requests: wait(2) (WNOHANG), PTRACE_JOBCTL_CONT, PTRACE_LISTEN,
 *               PTRACE_INTERRUPT, PTRACE_CONT (data 0 or SIGSTOP), PTRACE_DETACH,
 *               PTRACE_SETSIGINFO (the freezing request that writes a forged si_code), and
 *               the tracer's exit (exit_ptrace()).
 *   Sender      a third party: up to MAXSTOP SIGSTOPs, MAXCONT SIGCONTs and MAXKILL SIGKILLs.
 *   Quiescence  the checks that need the whole system at rest (SPIN's timeout).
 *
 * Locks: siglock (the group's one sighand->siglock) is a variable holding its owner; every
 * critical section takes it with SIGLOCK() and gives it back with SIGUNLOCK(), which also
 * checks the invariants.  tasklist_lock is a reader/writer lock (tl_r readers, tl_w writer).
 * A critical section is an atomic step where nothing in it waits: the data it touches is only
 * touched under the same lock, so the interleavings this hides cannot differ.
 *
 * Compile-time switches:
 *   MAXREQ MAXSTOP MAXCONT MAXKILL   the bounds (defaults below)
 *   MUTANT_<NAME>                    the counterpart of kernel/mutants/<name>.patch
 *                                    (name upper-cased, '-' -> '_')
 */

#ifndef MAXREQ
#define MAXREQ 4
#endif
#ifndef MAXSTOP
#define MAXSTOP 1
#endif
#ifndef MAXCONT
#define MAXCONT 1
#endif
#ifndef MAXKILL
#define MAXKILL 1
#endif

#define T0 0			/* the seized tracee */
#define T1 1			/* the other thread of its group, not traced */

/* Lock owners (0: free) */
#define LK_T0 1
#define LK_T1 2
#define LK_TRACER 3
#define LK_SENDER 4

/* include/linux/sched/jobctl.h, the bits the model needs (the values are its own) */
#define JOBCTL_STOP_DEQUEUED	1
#define JOBCTL_STOP_PENDING	2
#define JOBCTL_STOP_CONSUME	4
#define JOBCTL_TRAP_STOP	8
#define JOBCTL_TRAP_NOTIFY	16
#define JOBCTL_LISTENING	32
#define JOBCTL_PTRACE_FROZEN	64
#define JOBCTL_PLEASE_NOTIFY	128
#define JOBCTL_STOPPED		256
#define JOBCTL_TRACED		512
#define JOBCTL_EVENT_STOP	1024
#define JOBCTL_TRAP_MASK	(JOBCTL_TRAP_STOP | JOBCTL_TRAP_NOTIFY)
#define JOBCTL_PENDING_MASK	(JOBCTL_STOP_PENDING | JOBCTL_TRAP_MASK)

/* signal->flags */
#define SIGNAL_STOP_STOPPED	1
#define SIGNAL_GROUP_EXIT	2

/* task->__state of a sleeping thread */
#define TASK_RUNNING		0
#define __TASK_STOPPED		1
#define __TASK_TRACED		2

/*
 * Exit codes and si_code, abstracted to symbols: the only signal the model sends that a
 * tracee reports is SIGSTOP (SIGKILL is never reported, SIGCONT is not queued, see model.md).
 *   SIGSTOP      a signal-delivery-stop of SIGSTOP, or PTRACE_CONT's data
 *   EV_TRAP      SIGTRAP | PTRACE_EVENT_STOP << 8: a PTRACE_EVENT_STOP outside a group stop
 *   EV_STOP      SIGSTOP | PTRACE_EVENT_STOP << 8: a PTRACE_EVENT_STOP in a group stop
 *   FORGED       PTRACE_EVENT_STOP << 8 | garbage: what PTRACE_SETSIGINFO can put in si_code
 *   SI_USER      the si_code of a signal sent with kill()
 */
#define SIGSTOP		19
#define EV_TRAP		100
#define EV_STOP		101
#define FORGED		102
#define SI_USER		50
#define IS_EVENT(c)	((c) >= EV_TRAP)	/* (si_code >> 8) == PTRACE_EVENT_STOP */
/* ->exit_code only ever holds what the kernel computed (property P7) */
#define KERNEL_CODE(c)	((c) == 0 || (c) == SIGSTOP || (c) == EV_TRAP || (c) == EV_STOP)

#define CLD_TRAPPED	0
#define CLD_STOPPED	1

/* Who wakes a TASK_TRACED tracee (property P2 and the ghost of P4) */
#define W_OTHER		0	/* a signal, another thread: must never wake a frozen tracee */
#define W_TRACER	1	/* the request of the tracer that froze it, or its detach */
#define W_INTERRUPT	2	/* PTRACE_INTERRUPT (it never freezes) */

/* ---- kernel state ---- */
short jobctl[2];		/* task->jobctl */
byte tstate[2];			/* task->__state while asleep */
bool fatal[2];			/* __fatal_signal_pending(): SIGKILL queued to the thread */
bool dead[2];			/* PF_EXITING: past get_signal()'s group exit */
byte sigflags;			/* signal->flags */
byte gsc;			/* signal->group_stop_count */
bool shared_stop;		/* SIGSTOP in signal->shared_pending */
bool attached = 1;		/* T0->ptrace (PT_SEIZED), parent == the tracer */
byte exit_code;			/* T0->exit_code */
byte si_code;			/* T0->last_siginfo->si_code (0: no last_siginfo) */
byte siglock;			/* sighand->siglock: owner or 0 */
byte tl_r;			/* tasklist_lock: readers */
bool tl_w;			/* tasklist_lock: writer */

/* ---- ghost state: what the properties speak of; the kernel never reads it ---- */
bool in_sched;			/* T0 is in schedule() of ptrace_stop() (wait_task_inactive()) */
byte seen;			/* the last PTRACE_EVENT_STOP report the tracer got from wait(2) */
bool sub_pending;		/* JOBCTL_CONT/LISTEN succeeded and no report was made since */
bool changed;			/* a job control change since that subscription */
bool in_sub;			/* no tracer request but wait/SETSIGINFO since the subscription */
byte sub_reports;		/* reports made since the subscription, while in_sub */
bool jc_wait;			/* JOBCTL_CONT done; since then nothing changed, nothing woke T0 */
bool unannounced;		/* a report was made and the tracer not yet sent SIGCHLD/woken */
/*
 * PROPERTY(n, Pn_name, expr): assert(expr), named: Pn is a hidden constant 0, so that SPIN's
 * 'assertion violated (Pn_name||...)' says which property failed (Documentation/model.md).
 */
#ifndef ONLY_PROPERTY
#define ONLY_PROPERTY 0		/* -DONLY_PROPERTY=n: check property Pn alone */
#endif
hidden byte P1_notified, P2_frozen_not_woken, P3_one_report, P4_interrupt_reports_seen, P5_no_trap_left, P6_group_stop_count, P7_kernel_exit_code, P8_announced;
#define PROPERTY(n, name, expr)	assert(name || (ONLY_PROPERTY != 0 && ONLY_PROPERTY != n) || (expr))
hidden byte tmp_ok;		/* scratch of one atomic step */
hidden byte tmp_b;

/* The job control state a PTRACE_EVENT_STOP must report now: jobctl_trap_signr() */
#define TRUTH		((sigflags & SIGNAL_STOP_STOPPED) || gsc > 0 -> EV_STOP : EV_TRAP)

#define PTRACED(t)	((t) == T0 && attached)
#define SEIZED(t)	PTRACED(t)
#define NCONSUME	(((jobctl[T0] & JOBCTL_STOP_CONSUME) != 0) + ((jobctl[T1] & JOBCTL_STOP_CONSUME) != 0))

/*
 * Invariants, checked whenever siglock is released:
 *  P5  no trap stays armed for a dying tracee, nor anything of a tracer that is gone;
 *  P6  group stop accounting: group_stop_count is the number of threads that still have to
 *      consume (JOBCTL_STOP_CONSUME), unless the group is exiting.
 */
#define CHECK_INVARIANTS() \
	PROPERTY(5, P5_no_trap_left, !fatal[T0] || !(jobctl[T0] & JOBCTL_TRAP_MASK)); \
	PROPERTY(5, P5_no_trap_left, attached || !(jobctl[T0] & (JOBCTL_TRAP_MASK | JOBCTL_PLEASE_NOTIFY))); \
	PROPERTY(6, P6_group_stop_count, (sigflags & SIGNAL_GROUP_EXIT) || gsc == NCONSUME)

#define SIGLOCK(who)		atomic { siglock == 0 -> siglock = who }
#define SIGUNLOCK()		atomic { CHECK_INVARIANTS(); siglock = 0 }
#define READ_LOCK_TASKLIST()	atomic { !tl_w -> tl_r++ }
#define READ_UNLOCK_TASKLIST()	tl_r--
#define WRITE_LOCK_TASKLIST()	atomic { !tl_w && tl_r == 0 -> tl_w = 1 }
#define WRITE_UNLOCK_TASKLIST()	tl_w = 0

/* Every write of T0->exit_code: P7, it only ever holds what the kernel computed */
#define SET_EXIT_CODE(c)	PROPERTY(7, P7_kernel_exit_code, KERNEL_CODE(c)); exit_code = (c)

/* A report made available to wait(2): ptrace_stop() or PTRACE_INTERRUPT's report again */
inline report_made()
{
	sub_pending = 0;
	changed = 0;
	if
	:: in_sub -> sub_reports++; PROPERTY(3, P3_one_report, sub_reports <= 1)
	:: else
	fi;
	unannounced = 1
}

/* A job control change: a group stop starts, or a SIGCONT ends one (in effect or in progress) */
inline jobctl_change()
{
	changed = 1;
	jc_wait = 0
}

/* A tracer request other than wait(2) and PTRACE_SETSIGINFO ends a subscription */
inline request_begin()
{
	in_sub = 0;
	sub_pending = 0;
	jc_wait = 0
}

/* do_notify_parent_cldstop(tracee, true, ...): SIGCHLD to the tracer, __wake_up_parent() */
inline announce()
{
	unannounced = 0
}

/*
 * wake_up_state(t, __TASK_TRACED) after JOBCTL_TRACED was cleared.  P2: a tracee frozen by
 * ptrace_freeze_traced() is only ever woken by the request that froze it.
 */
inline wake_traced(t, who)
{
	jobctl[t] = jobctl[t] & ~JOBCTL_TRACED;
	if
	:: tstate[t] == __TASK_TRACED ->
		PROPERTY(2, P2_frozen_not_woken, t != T0 || who == W_TRACER || !(jobctl[T0] & JOBCTL_PTRACE_FROZEN));
		tstate[t] = TASK_RUNNING;
		if
		:: who != W_INTERRUPT -> jc_wait = 0
		:: else
		fi
	:: else
	fi
}

/* ptrace_signal_wake_up(t, resume): "if (resume) { t->jobctl &= ~JOBCTL_TRACED;" */
inline ptrace_signal_wake_up(t, resume, who)
{
	if
	:: resume -> wake_traced(t, who)
	:: else
	fi
}

/*
 * task_set_jobctl_pending(task, mask): "if (unlikely(fatal_signal_pending(task) ||
 * (task->flags & PF_EXITING))) return false;"
 */
inline task_set_jobctl_pending(t, mask, ok)
{
	if
	:: fatal[t] || dead[t] -> ok = 0
	:: else -> jobctl[t] = jobctl[t] | (mask); ok = 1
	fi
}

/*
 * task_clear_jobctl_pending(task, mask): "if (mask & JOBCTL_STOP_PENDING) mask |=
 * JOBCTL_STOP_CONSUME | JOBCTL_STOP_DEQUEUED;" (TRAPPING: attach is not modelled)
 */
inline task_clear_jobctl_pending(t, mask)
{
	if
	:: (mask) & JOBCTL_STOP_PENDING ->
		jobctl[t] = jobctl[t] & ~((mask) | JOBCTL_STOP_CONSUME | JOBCTL_STOP_DEQUEUED)
	:: else -> jobctl[t] = jobctl[t] & ~(mask)
	fi
}

/*
 * task_participate_group_stop(task): "bool consume = task->jobctl & JOBCTL_STOP_CONSUME;",
 * "sig->group_stop_count--", "if (!sig->group_stop_count && !(sig->flags &
 * SIGNAL_STOP_STOPPED))" -> signal_set_stop_flags(sig, SIGNAL_STOP_STOPPED), notify.
 */
inline task_participate_group_stop(t, done)
{
	tmp_b = (jobctl[t] & JOBCTL_STOP_CONSUME) != 0;
	task_clear_jobctl_pending(t, JOBCTL_STOP_PENDING);
	done = 0;
	if
	:: tmp_b ->
		PROPERTY(6, P6_group_stop_count, gsc > 0);	/* WARN_ON_ONCE(sig->group_stop_count == 0) */
		gsc--;
		if
		:: gsc == 0 && !(sigflags & SIGNAL_STOP_STOPPED) ->
			sigflags = sigflags | SIGNAL_STOP_STOPPED;
			done = 1
		:: else
		fi
	:: else
	fi
}

/*
 * ptrace_trap_notify(t): "if (!task_set_jobctl_pending(t, JOBCTL_TRAP_NOTIFY)) return;",
 * "resume = (t->jobctl & JOBCTL_PLEASE_NOTIFY) && !(t->jobctl & JOBCTL_PTRACE_FROZEN);"
 */
inline ptrace_trap_notify(t)
{
	task_set_jobctl_pending(t, JOBCTL_TRAP_NOTIFY, tmp_ok);
	if
	:: tmp_ok ->
		printf("@ ptrace_trap_notify: JOBCTL_TRAP_NOTIFY armed (PLEASE_NOTIFY %d, FROZEN %d)\n",
		       (jobctl[t] & JOBCTL_PLEASE_NOTIFY) != 0, (jobctl[t] & JOBCTL_PTRACE_FROZEN) != 0);
		ptrace_signal_wake_up(t, (jobctl[t] & JOBCTL_PLEASE_NOTIFY) &&
				      !(jobctl[t] & JOBCTL_PTRACE_FROZEN), W_OTHER)
	:: else
	fi
}

/*
 * ptrace_in_event_stop(task): "(task->jobctl & mask) == mask" with mask = JOBCTL_TRACED |
 * JOBCTL_EVENT_STOP.  The v1 mutant trusts siglinfo: "task_is_traced(task) && si &&
 * (si->si_code >> 8) == PTRACE_EVENT_STOP".
 */
#ifdef MUTANT_SERIES_V1_SIGINFO_TRUST
#define IN_EVENT_STOP	((jobctl[T0] & JOBCTL_TRACED) && IS_EVENT(si_code))
#else
#define IN_EVENT_STOP	((jobctl[T0] & (JOBCTL_TRACED | JOBCTL_EVENT_STOP)) == (JOBCTL_TRACED | JOBCTL_EVENT_STOP))
#endif

/*
 * ptrace_jobctl_waiting(task): "(task->jobctl & mask) == JOBCTL_PLEASE_NOTIFY &&
 * ptrace_in_event_stop(task) && !__fatal_signal_pending(task)", mask = PLEASE_NOTIFY |
 * LISTENING | TRAP_NOTIFY.  The no-interrupt-report mutant: "if (0 && ptrace_jobctl_waiting".
 */
#if defined(MUTANT_SERIES_NO_INTERRUPT_REPORT)
#define JOBCTL_WAITING	0
#else
#define JOBCTL_WAITING	((jobctl[T0] & (JOBCTL_PLEASE_NOTIFY | JOBCTL_LISTENING | JOBCTL_TRAP_NOTIFY)) == JOBCTL_PLEASE_NOTIFY && IN_EVENT_STOP && !fatal[T0])
#endif

/* ptrace_notify_due(task): "(task->jobctl & mask) == mask && task_is_traced(task)" */
#define NOTIFY_DUE	((jobctl[T0] & (JOBCTL_PLEASE_NOTIFY | JOBCTL_TRAP_NOTIFY)) == (JOBCTL_PLEASE_NOTIFY | JOBCTL_TRAP_NOTIFY) && (jobctl[T0] & JOBCTL_TRACED))

/*
 * ptrace_interrupt_locked()'s fallback: "if (likely(task_set_jobctl_pending(child,
 * JOBCTL_TRAP_STOP))) ptrace_signal_wake_up(child, child->jobctl & JOBCTL_LISTENING);"
 * (the two mutants that drop the report wake a subscribed tracee too)
 */
#if defined(MUTANT_SERIES_NO_INTERRUPT_REPORT) || defined(MUTANT_SERIES_V1_SIGINFO_TRUST)
#define INTERRUPT_RESUME (jobctl[T0] & (JOBCTL_LISTENING | JOBCTL_PLEASE_NOTIFY))
#else
#define INTERRUPT_RESUME (jobctl[T0] & JOBCTL_LISTENING)
#endif
inline interrupt_arm()
{
	task_set_jobctl_pending(T0, JOBCTL_TRAP_STOP, tmp_ok);
	if
	:: tmp_ok -> ptrace_signal_wake_up(T0, INTERRUPT_RESUME, W_INTERRUPT)
	:: else
	fi
}

/*
 * __ptrace_unlink(child), called with tasklist_lock write-locked by ptrace_detach() and
 * exit_ptrace(): "task_clear_jobctl_pending(child, JOBCTL_TRAP_MASK);", "child->jobctl &=
 * ~JOBCTL_PLEASE_NOTIFY;", reinstate STOP_PENDING "if (!(child->flags & PF_EXITING) &&
 * (child->signal->flags & SIGNAL_STOP_STOPPED || child->signal->group_stop_count))", and "if
 * (child->jobctl & JOBCTL_STOP_PENDING || task_is_traced(child))" wake it.
 */
inline ptrace_unlink()
{
	SIGLOCK(LK_TRACER);
	attached = 0;
#ifdef MUTANT_UNLINK_PENDING_MASK
	task_clear_jobctl_pending(T0, JOBCTL_PENDING_MASK);
#else
	task_clear_jobctl_pending(T0, JOBCTL_TRAP_MASK);
#endif
	jobctl[T0] = jobctl[T0] & ~JOBCTL_PLEASE_NOTIFY;
	if
	:: !dead[T0] && ((sigflags & SIGNAL_STOP_STOPPED) || gsc > 0) ->
		jobctl[T0] = jobctl[T0] | JOBCTL_STOP_PENDING
	:: else
	fi;
	if
	:: (jobctl[T0] & (JOBCTL_STOP_PENDING | JOBCTL_TRACED)) -> ptrace_signal_wake_up(T0, 1, W_TRACER)
	:: else
	fi;
	SIGUNLOCK()
}

/*
 * ptrace_check_attach(child, false): "read_lock(&tasklist_lock); if (child->ptrace &&
 * child->parent == current)" ptrace_freeze_traced(): lockless "if (task->jobctl &
 * JOBCTL_LISTENING) return ret;", then under siglock "if (task_is_traced(task) &&
 * !looks_like_a_spurious_pid(task) && !__fatal_signal_pending(task))" set
 * JOBCTL_PTRACE_FROZEN; then wait_task_inactive(child, __TASK_TRACED|TASK_FROZEN).
 */
inline check_attach_freeze(ok)
{
	ok = 0;
	READ_LOCK_TASKLIST();
	if
	:: attached && !(jobctl[T0] & JOBCTL_LISTENING) ->
		SIGLOCK(LK_TRACER);
		if
		:: (jobctl[T0] & JOBCTL_TRACED) && !fatal[T0] ->
			jobctl[T0] = jobctl[T0] | JOBCTL_PTRACE_FROZEN;
			ok = 1
		:: else
		fi;
		SIGUNLOCK()
	:: else
	fi;
	READ_UNLOCK_TASKLIST();
	if
	:: ok -> (in_sched || tstate[T0] == TASK_RUNNING)	/* wait_task_inactive() */
	:: else
	fi
}

/*
 * ptrace_unfreeze_traced(task): "task->jobctl &= ~JOBCTL_PTRACE_FROZEN;", "if
 * (__fatal_signal_pending(task))" wake it, "else if (ptrace_notify_due(task))"
 * ptrace_signal_wake_up(task, true): the deferred wakeup.
 */
inline unfreeze()
{
	SIGLOCK(LK_TRACER);
	jobctl[T0] = jobctl[T0] & ~JOBCTL_PTRACE_FROZEN;
	if
	:: fatal[T0] -> wake_traced(T0, W_TRACER)
#ifndef MUTANT_SERIES_NO_DEFERRED_WAKE
	:: !fatal[T0] && NOTIFY_DUE ->
		printf("@ ptrace_unfreeze_traced: deferred wakeup\n");
		ptrace_signal_wake_up(T0, 1, W_TRACER)
#endif
	:: else
	fi;
	SIGUNLOCK()
}

/* ------------------------------------------------------------------------------------------ */

proctype Thread(byte me)
{
	byte code;		/* ptrace_stop()'s @exit_code */
	byte si;		/* its @info->si_code */
	bit why;		/* its @why */
	bit gdone;		/* gstop_done */
	bit ok;
	byte signr;
	byte lk = me + 1;	/* LK_T0 or LK_T1 */

end_user:
	/*
	 * User mode.  exit_to_user_mode_loop() calls get_signal() when TIF_SIGPENDING is set,
	 * which whoever queues a signal or arms a trap for the thread sets: abstracted to
	 * something is pending.  get_signal(): "relock:" "spin_lock_irq(&sighand->siglock);"
	 */
	atomic {
		(fatal[me] || (sigflags & SIGNAL_GROUP_EXIT) || (jobctl[me] & JOBCTL_PENDING_MASK) ||
		 shared_stop) && siglock == 0 -> siglock = lk
	}
loop:
	/* get_signal(): "if ((signal->flags & SIGNAL_GROUP_EXIT) ||" -> do_group_exit() */
	if
	:: sigflags & SIGNAL_GROUP_EXIT ->
		dead[me] = 1;
		printf("@ T%d exits\n", me);
		SIGUNLOCK();
		goto end_exit
	:: else
	fi;
	/* get_signal(): "if (unlikely(current->jobctl & JOBCTL_STOP_PENDING) && do_signal_stop(0))" */
	if
	:: jobctl[me] & JOBCTL_STOP_PENDING ->
		signr = 0;
		goto do_signal_stop
	:: else
	fi;
traps:
	/*
	 * get_signal(): "if (current->jobctl & JOBCTL_TRAP_MASK) { do_jobctl_trap();"
	 * do_jobctl_trap(): "signr = jobctl_trap_signr(current);" ptrace_do_notify(signr,
	 * signr | (PTRACE_EVENT_STOP << 8), CLD_STOPPED, 0)
	 */
	if
	:: PTRACED(me) && (jobctl[me] & JOBCTL_TRAP_MASK) ->
		code = TRUTH;
		si = code;
		why = CLD_STOPPED;
		goto ptrace_stop
	:: else
	fi;
	/* dequeue_signal(): SIGSTOP from shared_pending, "current->jobctl |= JOBCTL_STOP_DEQUEUED" */
	if
	:: shared_stop ->
		shared_stop = 0;
		jobctl[me] = jobctl[me] | JOBCTL_STOP_DEQUEUED;
		signr = SIGSTOP;
		printf("@ T%d dequeues SIGSTOP\n", me)
	:: else ->
		/* "if (!signr) break;": back to user mode */
		SIGUNLOCK();
		goto end_user
	fi;
	/*
	 * get_signal(): "if (unlikely(current->ptrace) && (signr != SIGKILL)" ptrace_signal():
	 * "current->jobctl |= JOBCTL_STOP_DEQUEUED; signr = ptrace_stop(signr, CLD_TRAPPED, 0,
	 * info);" then a fatal signal requeues it: "fatal_signal_pending(current)" -> 0.
	 */
	if
	:: PTRACED(me) ->
		jobctl[me] = jobctl[me] | JOBCTL_STOP_DEQUEUED;
		code = SIGSTOP;
		si = SI_USER;
		why = CLD_TRAPPED;
		goto ptrace_stop
	:: else
	fi;
after_signal_stop:
	/* "if (!signr) continue;" */
	if
	:: signr == 0 -> goto loop
	:: else
	fi;
	PROPERTY(7, P7_kernel_exit_code, signr == SIGSTOP);	/* what ptrace_stop() returned is a signal the kernel computed */

	/* get_signal(): "if (sig_kernel_stop(signr))" ... "if (likely(do_signal_stop(signr)))" */
do_signal_stop:
	/*
	 * do_signal_stop(signr): "if (!(current->jobctl & JOBCTL_STOP_PENDING))": start a group
	 * stop unless "!likely(current->jobctl & JOBCTL_STOP_DEQUEUED) || unlikely(sig->flags &
	 * SIGNAL_GROUP_EXIT)"; then every other thread "if (!task_is_stopped(t) &&
	 * task_set_jobctl_pending(t, signr | gstop))" is counted and woken, a seized one by
	 * ptrace_trap_notify(t).
	 */
	if
	:: !(jobctl[me] & JOBCTL_STOP_PENDING) ->
		if
		:: !(jobctl[me] & JOBCTL_STOP_DEQUEUED) || (sigflags & SIGNAL_GROUP_EXIT) ->
			goto loop	/* return false; get_signal() continues */
		:: else
		fi;
		atomic {
			printf("@ T%d starts a group stop\n", me);
			jobctl_change();
			gsc = 0;
			task_set_jobctl_pending(me, JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME, ok);
			if
			:: ok -> gsc++
			:: else
			fi;
			/* for_other_threads(current, t) */
			if
			:: !(jobctl[1 - me] & JOBCTL_STOPPED) ->
				task_set_jobctl_pending(1 - me, JOBCTL_STOP_PENDING | JOBCTL_STOP_CONSUME, ok);
				if
				:: ok ->
					gsc++;
					if
					:: SEIZED(1 - me) -> ptrace_trap_notify(1 - me)
					:: else		/* signal_wake_up(t, 0): TIF_SIGPENDING */
					fi
				:: else
				fi
			:: else
			fi
		}
	:: else
	fi;
	/*
	 * do_signal_stop(): "if (likely(!current->ptrace))" participate and stop in TASK_STOPPED;
	 * else "task_set_jobctl_pending(current, JOBCTL_TRAP_STOP); return false;"
	 */
	if
	:: PTRACED(me) ->
		task_set_jobctl_pending(me, JOBCTL_TRAP_STOP, ok);
		goto traps
	:: else
	fi;
	atomic {
		task_participate_group_stop(me, gdone);	/* gdone: CLD_STOPPED to the real parent */
		jobctl[me] = jobctl[me] | JOBCTL_STOPPED;
		tstate[me] = __TASK_STOPPED;
		printf("@ T%d stops in TASK_STOPPED (group_stop_count %d)\n", me, gsc)
	}
	SIGUNLOCK();
end_stopped:
	/* schedule(): "Now we don't run again until woken by SIGCONT or SIGKILL" */
	tstate[me] == TASK_RUNNING;
	SIGLOCK(lk);	/* get_signal(): goto relock */
	goto loop;

ptrace_stop:
	/*
	 * ptrace_stop(exit_code, why, message, info), entered with siglock held.
	 * "if (arch_ptrace_stop_needed())": siglock is dropped for arch_ptrace_stop().  Whether
	 * it is needed depends on the architecture and, on sparc, on the register windows: either.
	 */
	if
	:: true ->
		printf("@ T0 ptrace_stop: siglock dropped for arch_ptrace_stop()\n");
		SIGUNLOCK();
		/* arch_ptrace_stop(): anything may happen here */
		SIGLOCK(lk);
#ifndef MUTANT_ARCH_STOP_STALE_REPORT
		/*
		 * Patch 0001: "if ((exit_code >> 8) == PTRACE_EVENT_STOP)" "int signr =
		 * jobctl_trap_signr(current);" the report as it is now.
		 */
		if
		:: IS_EVENT(code) -> code = TRUTH; si = code
		:: else
		fi
#endif
	:: true
	fi;
	/* "current->jobctl &= ~JOBCTL_PLEASE_NOTIFY;" */
	jobctl[me] = jobctl[me] & ~JOBCTL_PLEASE_NOTIFY;
	/*
	 * "if (!current->ptrace || __fatal_signal_pending(current))" {
	 * "task_clear_jobctl_pending(current, JOBCTL_TRAP_MASK);" return exit_code }
	 */
	if
	:: !attached || fatal[me] ->
		printf("@ T0 ptrace_stop gives up: no tracer or SIGKILL\n");
		task_clear_jobctl_pending(me, JOBCTL_TRAP_MASK);
		signr = code;
		goto ptrace_stop_return
	:: else
	fi;
	atomic {
		/*
		 * "set_special_state(TASK_TRACED);" "current->jobctl |= JOBCTL_TRACED;" and "if
		 * ((exit_code >> 8) == PTRACE_EVENT_STOP)" "current->jobctl |= JOBCTL_EVENT_STOP;"
		 */
		tstate[me] = __TASK_TRACED;
		jobctl[me] = jobctl[me] | JOBCTL_TRACED;
		if
		:: IS_EVENT(code) -> jobctl[me] = jobctl[me] | JOBCTL_EVENT_STOP
		:: else
		fi;
		/* "current->last_siginfo = info;" "current->exit_code = exit_code;" */
		si_code = si;
		SET_EXIT_CODE(code);
		report_made();
		printf("@ T0 stops in ptrace_stop, exit_code %d\n", code);
		/*
		 * "if (why == CLD_STOPPED && (current->jobctl & JOBCTL_STOP_PENDING))"
		 * "gstop_done = task_participate_group_stop(current);"
		 */
		gdone = 0;
		if
		:: why == CLD_STOPPED && (jobctl[me] & JOBCTL_STOP_PENDING) ->
			task_participate_group_stop(me, gdone)
		:: else
		fi;
		/* "task_clear_jobctl_pending(current, JOBCTL_TRAP_STOP);" */
		task_clear_jobctl_pending(me, JOBCTL_TRAP_STOP);
		/*
		 * "if (current->jobctl & JOBCTL_EVENT_STOP)" clear TRAP_NOTIFY; the v1 mutant:
		 * "if (info && info->si_code >> 8 == PTRACE_EVENT_STOP)"
		 */
#ifdef MUTANT_SERIES_V1_SIGINFO_TRUST
		if
		:: IS_EVENT(si_code) -> task_clear_jobctl_pending(me, JOBCTL_TRAP_NOTIFY)
		:: else
		fi
#else
		if
		:: jobctl[me] & JOBCTL_EVENT_STOP -> task_clear_jobctl_pending(me, JOBCTL_TRAP_NOTIFY)
		:: else
		fi
#endif
	}
	SIGUNLOCK();
	/*
	 * "read_lock(&tasklist_lock);" "if (current->ptrace)
	 * do_notify_parent_cldstop(current, true, why);" (and, with gstop_done, the real
	 * parent's CLD_STOPPED, which the model does not follow further)
	 */
	atomic {
		READ_LOCK_TASKLIST();
		if
		:: attached -> announce()
		:: else
		fi;
		READ_UNLOCK_TASKLIST();
		in_sched = 1
	}
end_traced:
	/* schedule() in TASK_TRACED */
	atomic { tstate[me] == TASK_RUNNING -> in_sched = 0; printf("@ T0 leaves ptrace_stop\n") }
	/*
	 * "We are back." "spin_lock_irq(&current->sighand->siglock); exit_code =
	 * current->exit_code;" ... "current->exit_code = 0;" "current->jobctl &=
	 * ~(JOBCTL_LISTENING | JOBCTL_PTRACE_FROZEN | JOBCTL_EVENT_STOP);"
	 */
	SIGLOCK(lk);
	atomic {
		signr = exit_code;
		SET_EXIT_CODE(0);
		si_code = 0;
		jobctl[me] = jobctl[me] & ~(JOBCTL_LISTENING | JOBCTL_PTRACE_FROZEN | JOBCTL_EVENT_STOP)
	}
ptrace_stop_return:
	if
	:: why == CLD_STOPPED ->
		/* do_jobctl_trap() returns; get_signal(): "do_jobctl_trap(); spin_unlock_irq(&sighand->siglock);", goto relock */
		SIGUNLOCK();
		SIGLOCK(lk);
		goto loop
	:: else ->
		/* ptrace_signal(): "if (sigismember(&current->blocked, signr) || fatal_signal_pending(current))" requeue, 0 */
		PROPERTY(7, P7_kernel_exit_code, KERNEL_CODE(signr));
		if
		:: fatal[me] || signr != SIGSTOP -> signr = 0
		:: else
		fi;
		goto after_signal_stop
	fi;
end_exit:
	skip
}

/* ------------------------------------------------------------------------------------------ */

active proctype Tracer()
{
	byte n;
	bit ok;
	byte c;

	do
	:: n < MAXREQ && attached ->
		n++;
		if
		:: true ->
			/*
			 * wait(2), WNOHANG: wait_task_stopped(wo, ptrace=1, p) under
			 * "read_lock(&tasklist_lock)": task_stopped_code(): "if
			 * (task_is_traced(p) && !(p->jobctl & JOBCTL_LISTENING))" "exit_code =
			 * *p_code;" "if (!exit_code) goto unlock_sig;" "*p_code = 0;"
			 */
			READ_LOCK_TASKLIST();
			SIGLOCK(LK_TRACER);
			atomic {
				if
				:: (jobctl[T0] & JOBCTL_TRACED) && !(jobctl[T0] & JOBCTL_LISTENING) && exit_code != 0 ->
					c = exit_code;
					printf("@ tracer: wait(2) gets exit_code %d\n", c);
					SET_EXIT_CODE(0);
					if
					:: IS_EVENT(c) -> seen = c
					:: else
					fi;
					c = 0
				:: else
				fi
			}
			SIGUNLOCK();
			READ_UNLOCK_TASKLIST()
		:: true ->
			/*
			 * PTRACE_JOBCTL_CONT: "if (likely(ptrace_in_event_stop(child)))"
			 * "child->exit_code = 0;" "child->jobctl |= JOBCTL_PLEASE_NOTIFY;"
			 */
			request_begin();
			check_attach_freeze(ok);
			if
			:: ok ->
				SIGLOCK(LK_TRACER);
				atomic {
					if
					:: IN_EVENT_STOP ->
						if
						:: IS_EVENT(exit_code) -> seen = exit_code	/* "This stop has been seen" */
						:: else
						fi;
						SET_EXIT_CODE(0);
						jobctl[T0] = jobctl[T0] | JOBCTL_PLEASE_NOTIFY;
						printf("@ tracer: PTRACE_JOBCTL_CONT\n");
						in_sub = 1; sub_reports = 0; sub_pending = 1; changed = 0;
						jc_wait = 1
					:: else
					fi
				}
				SIGUNLOCK();
				unfreeze()
			:: else
			fi
		:: true ->
			/*
			 * PTRACE_LISTEN: "if (likely(ptrace_in_event_stop(child)))"
			 * "child->jobctl |= JOBCTL_LISTENING | JOBCTL_PLEASE_NOTIFY;"
			 */
			request_begin();
			check_attach_freeze(ok);
			if
			:: ok ->
				SIGLOCK(LK_TRACER);
				atomic {
					if
					:: IN_EVENT_STOP ->
						if
						:: IS_EVENT(exit_code) -> seen = exit_code	/* the stop it listens in */
						:: else
						fi;
						jobctl[T0] = jobctl[T0] | JOBCTL_LISTENING | JOBCTL_PLEASE_NOTIFY;
						printf("@ tracer: PTRACE_LISTEN\n");
						in_sub = 1; sub_reports = 0; sub_pending = 1; changed = 0
					:: else
					fi
				}
				SIGUNLOCK();
				unfreeze()
			:: else
			fi
		:: true ->
			/*
			 * PTRACE_INTERRUPT, ptrace_interrupt(): no freeze (ptrace_check_attach(child,
			 * true)).  Phase 1 under siglock: "again = ptrace_interrupt_locked(child,
			 * false);" Phase 2: "read_lock(&tasklist_lock);" siglock, "again =
			 * ptrace_interrupt_locked(child, true);" which reports again:
			 * "child->jobctl &= ~JOBCTL_PLEASE_NOTIFY;" "child->exit_code =
			 * jobctl_trap_signr(child) |" ...; then "if (again)
			 * ptrace_notify_jobctl_stop(child);" "read_unlock(&tasklist_lock);"
			 */
			in_sub = 0;	/* a request; P4 speaks of jc_wait, which it keeps */
			SIGLOCK(LK_TRACER);
			atomic {
				ok = JOBCTL_WAITING;
				printf("@ tracer: PTRACE_INTERRUPT (phase 1: waiting %d)\n", ok);
				if
				:: !ok -> interrupt_arm()
				:: else
				fi
			}
			SIGUNLOCK();
			if
			:: ok ->
				READ_LOCK_TASKLIST();
				SIGLOCK(LK_TRACER);
				atomic {
					ok = JOBCTL_WAITING;
					if
					:: ok ->
						printf("@ tracer: PTRACE_INTERRUPT reports the stop again\n");
						jobctl[T0] = jobctl[T0] & ~JOBCTL_PLEASE_NOTIFY;
#ifdef MUTANT_SERIES_V1_SIGINFO_TRUST
						/* "child->exit_code = child->last_siginfo->si_code;" */
						SET_EXIT_CODE(si_code);
#else
						SET_EXIT_CODE(TRUTH);
#endif
						report_made()
					:: else -> interrupt_arm()
					fi
				}
				SIGUNLOCK();
#ifndef MUTANT_SERIES_NO_REREPORT_NOTIFY
				if
				:: ok -> announce()	/* ptrace_notify_jobctl_stop() */
				:: else
				fi;
#endif
				READ_UNLOCK_TASKLIST()
			:: else
			fi;
			/*
			 * P4: an INTERRUPT after JOBCTL_CONT, with no job control change, no
			 * signal and no wakeup since, makes the stop the tracer last saw reportable
			 * again, without the tracee leaving it.
			 */
			PROPERTY(4, P4_interrupt_reports_seen, !jc_wait || (exit_code == seen && (jobctl[T0] & JOBCTL_TRACED) &&
					       tstate[T0] == __TASK_TRACED));
			jc_wait = 0
		:: true ->
			/*
			 * PTRACE_CONT, ptrace_resume() (tracee frozen): "child->exit_code = data;"
			 * "child->jobctl &= ~JOBCTL_TRACED;" "wake_up_state(child, __TASK_TRACED);"
			 * data: 0, or SIGSTOP back after its signal-delivery-stop.
			 */
			request_begin();
			check_attach_freeze(ok);
			if
			:: ok ->
				SIGLOCK(LK_TRACER);
				atomic {
					if
					:: SET_EXIT_CODE(0)
					:: si_code == SI_USER -> SET_EXIT_CODE(SIGSTOP)
					fi;
					printf("@ tracer: PTRACE_CONT, data %d\n", exit_code);
					jobctl[T0] = jobctl[T0] & ~JOBCTL_TRACED;
					if
					:: tstate[T0] == __TASK_TRACED -> tstate[T0] = TASK_RUNNING
					:: else
					fi
				}
				SIGUNLOCK();
				unfreeze()
			:: else
			fi
		:: true ->
			/*
			 * PTRACE_DETACH, ptrace_detach() (tracee frozen; no unfreeze after it:
			 * "if (ret || request != PTRACE_DETACH)"): "write_lock_irq(&tasklist_lock);"
			 * "child->exit_code = data;" "__ptrace_detach(current, child);"
			 */
			request_begin();
			check_attach_freeze(ok);
			if
			:: ok ->
				WRITE_LOCK_TASKLIST();
				printf("@ tracer: PTRACE_DETACH\n");
				SET_EXIT_CODE(0);
				ptrace_unlink();
				WRITE_UNLOCK_TASKLIST()
			:: else
			fi
		:: true ->
			/*
			 * PTRACE_SETSIGINFO (tracee frozen): ptrace_setsiginfo(): "copy_siginfo(child->last_siginfo, info);", a
			 * forged PTRACE_EVENT_STOP si_code.  Neither ends nor makes a subscription.
			 */
			check_attach_freeze(ok);
			if
			:: ok ->
				SIGLOCK(LK_TRACER);
				printf("@ tracer: PTRACE_SETSIGINFO, forged si_code\n");
				si_code = FORGED;
				SIGUNLOCK();
				unfreeze()
			:: else
			fi
		:: true ->
			/* The tracer exits: exit_ptrace() with tasklist_lock write-locked, __ptrace_detach() */
			request_begin();
			WRITE_LOCK_TASKLIST();
			printf("@ tracer exits\n");
			ptrace_unlink();
			WRITE_UNLOCK_TASKLIST();
			break
		fi
	:: true -> break
	od
}

/*
 * The third party: kill(2) of the group.  prepare_signal() and complete_signal() under
 * siglock.
 */
active proctype Sender()
{
	byte nstop, ncont, nkill;
	byte t;
	bit gstop;

	do
	:: nstop < MAXSTOP ->
		nstop++;
		/* SIGSTOP: prepare_signal() "if (sig_kernel_stop(sig))" flushes SIGCONT; queued */
		SIGLOCK(LK_SENDER);
		if
		:: !(sigflags & SIGNAL_GROUP_EXIT) -> shared_stop = 1; printf("@ kill(SIGSTOP)\n")
		:: else
		fi;
		SIGUNLOCK()
	:: ncont < MAXCONT ->
		ncont++;
		/*
		 * SIGCONT: prepare_signal() "} else if (sig == SIGCONT) {" "bool gstop =
		 * signal->flags & SIGNAL_STOP_STOPPED || signal->group_stop_count;" flush stop
		 * signals; each thread: "task_clear_jobctl_pending(t, JOBCTL_STOP_PENDING);" "if
		 * (likely(!(t->ptrace & PT_SEIZED)))" wake it from TASK_STOPPED, "} else if
		 * (gstop || stop_pending) {" ptrace_trap_notify(t); then "if (why)"
		 * "signal->group_stop_count = 0;" and SIGNAL_STOP_STOPPED goes.
		 */
		SIGLOCK(LK_SENDER);
		atomic {
			if
			:: !(sigflags & SIGNAL_GROUP_EXIT) ->
				gstop = (sigflags & SIGNAL_STOP_STOPPED) || gsc > 0;
				printf("@ kill(SIGCONT): ends a stop %d\n", gstop);
				if
				:: gstop -> jobctl_change()
				:: else
				fi;
				shared_stop = 0;
				t = 0;
				do
				:: t < 2 ->
					if
					:: !dead[t] ->
						tmp_b = (jobctl[t] & JOBCTL_STOP_PENDING) != 0;
						task_clear_jobctl_pending(t, JOBCTL_STOP_PENDING);
						if
						:: !SEIZED(t) ->
							jobctl[t] = jobctl[t] & ~JOBCTL_STOPPED;
							if
							:: tstate[t] == __TASK_STOPPED -> tstate[t] = TASK_RUNNING
							:: else
							fi
						:: else ->
							if
							:: gstop || tmp_b -> ptrace_trap_notify(t)
							:: else
							fi
						fi
					:: else
					fi;
					t++
				:: else -> break
				od;
				if
				:: gstop ->
					sigflags = sigflags & ~SIGNAL_STOP_STOPPED;
					gsc = 0
				:: else
				fi
			:: else
			fi;
			t = 0;
			gstop = 0
		}
		SIGUNLOCK()
	:: nkill < MAXKILL ->
		nkill++;
		/*
		 * SIGKILL: complete_signal() "if (sig_fatal(p, sig) &&" "signal->flags =
		 * SIGNAL_GROUP_EXIT;" "signal->group_stop_count = 0;" each thread:
		 * "task_clear_jobctl_pending(t, JOBCTL_PENDING_MASK);" "signal_wake_up(t, 1);",
		 * which for a thread not frozen: "if (fatal && !(t->jobctl &
		 * JOBCTL_PTRACE_FROZEN))" clears STOPPED and TRACED and wakes it.
		 */
		SIGLOCK(LK_SENDER);
		atomic {
			if
			:: !(sigflags & SIGNAL_GROUP_EXIT) ->
				sigflags = SIGNAL_GROUP_EXIT;
				printf("@ kill(SIGKILL)\n");
				gsc = 0;
				jc_wait = 0;
				t = 0;
				do
				:: t < 2 ->
					task_clear_jobctl_pending(t, JOBCTL_PENDING_MASK);
					fatal[t] = 1;
					if
					:: !(jobctl[t] & JOBCTL_PTRACE_FROZEN) ->
						jobctl[t] = jobctl[t] & ~(JOBCTL_STOPPED | JOBCTL_TRACED);
						if
						:: tstate[t] != TASK_RUNNING -> tstate[t] = TASK_RUNNING
						:: else
						fi
					:: else
					fi;
					t++
				:: else -> break
				od;
				t = 0
			:: else
			fi
		}
		SIGUNLOCK()
	:: true -> break
	od
}

/*
 * When nothing can move any more (SPIN's timeout: every process ended or blocked), the
 * properties that speak of what must have happened by then.
 */
active proctype Quiescence()
{
	timeout -> printf("@ quiescent\n");
	/*
	 * P1, no lost notification: a tracer that subscribed (JOBCTL_CONT or LISTEN) to a live,
	 * attached tracee is not left waiting with a job control change since its subscription,
	 * or with a view (the last report it got) that is not the job control state now.
	 */
	PROPERTY(1, P1_notified, !(attached && !fatal[T0] && sub_pending && (changed || seen != TRUTH)));
	/* P8: every report made to an attached tracer was announced (SIGCHLD, wait woken) */
	PROPERTY(8, P8_announced, !(attached && unannounced));
	/* P6: a group stop in progress only waits for a tracee its tracer holds in a trap */
	PROPERTY(6, P6_group_stop_count, (sigflags & SIGNAL_GROUP_EXIT) || gsc == 0 || (attached && (jobctl[T0] & JOBCTL_TRACED)))
}

init
{
	atomic {
		run Thread(T0);
		run Thread(T1)
	}
}

/* P1 as LTL (model-long): a subscribed tracer with a stale view always gets a report */
#define gstop_now ((sigflags & SIGNAL_STOP_STOPPED) || gsc > 0)
#define lost_pending (attached && !fatal[0] && sub_pending && (changed || (gstop_now && seen != EV_STOP) || (!gstop_now && seen != EV_TRAP)))
ltl p1 { [] (lost_pending -> <> !lost_pending) }
